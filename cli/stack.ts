import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, Stack, type PulumiFn } from "@pulumi/pulumi/automation";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../provider/config/problems";
import { findExecutable } from "../provider/ko/path";

/** Options of {@link openStack}: the project, the stack, its program and its backend. */
export interface StackOptions {
    /** Folder with `Pulumi.yaml`; the program's relative paths start here. */
    readonly projectDir: string;
    readonly stackName: string;
    /** The program, run in this process; the project's `main` is not read. */
    readonly program: PulumiFn;
    /** Backend URL. Default: `PULUMI_BACKEND_URL`, else `file://<projectDir>/.state/backend`. */
    readonly backendUrl?: string;
    /** Stack settings to set before running, `key` in the project's namespace. */
    readonly config?: Readonly<Record<string, string>>;
    /** Extra environment of the Pulumi CLI and of the provider it starts. */
    readonly envVars?: Readonly<Record<string, string>>;
}

/**
 * Opens (creating if needed) a stack with a local `file://` backend and an inline program. The
 * Pulumi CLI is the project's own in `.tools/bin` when set up, else the first `pulumi` on PATH.
 */
export async function openStack(options: StackOptions): Promise<Stack> {
    const backendUrl = options.backendUrl ?? process.env.PULUMI_BACKEND_URL ?? `file://${path.join(options.projectDir, ".state", "backend")}`;
    if (backendUrl.startsWith("file://")) fs.mkdirSync(backendUrl.slice("file://".length), { recursive: true });

    const pulumiCommand = await PulumiCommand.get({ root: pulumiRoot(options.projectDir) });
    const envVars: Record<string, string> = {
        PULUMI_BACKEND_URL: backendUrl,
        ...passphraseDefault(),
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        ...options.envVars,
    };
    const program = logProgramErrors(options.program);
    const workspace = await LocalWorkspace.create({ workDir: options.projectDir, program, pulumiCommand, envVars });
    const stack = await Stack.createOrSelect(options.stackName, workspace);
    for (const [key, value] of Object.entries(options.config ?? {})) {
        await stack.setConfig(key, { value });
    }
    return stack;
}

/**
 * Wraps an inline program so that its failure is logged as a Pulumi error instead of thrown. The
 * engine then fails the operation with that message, while a thrown error would also leave the
 * SDK's stack promise rejected and unhandled (Node.js SDK 3.276), which ends this process.
 */
function logProgramErrors(program: PulumiFn): PulumiFn {
    return async () => {
        try {
            return await program();
        } catch (error) {
            let message = String(error);
            if (error instanceof ConfigError) message = error.message;
            else if (error instanceof Error) message = error.stack ?? error.message;
            pulumi.log.error(message);
            return undefined;
        }
    };
}

/** Passphrase of stack secrets in the local backends, unless the environment names one. */
export const defaultPassphrase = "pulumi-kos-local";

function passphraseDefault(): Record<string, string> {
    if (process.env.PULUMI_CONFIG_PASSPHRASE !== undefined || process.env.PULUMI_CONFIG_PASSPHRASE_FILE !== undefined) return {};
    return { PULUMI_CONFIG_PASSPHRASE: defaultPassphrase };
}

/** Folder whose `bin/pulumi` runs the stack; `PulumiCommand` also puts that `bin` first on PATH. */
function pulumiRoot(projectDir: string): string {
    const tools = path.join(projectDir, ".tools");
    if (fs.existsSync(path.join(tools, "bin", "pulumi"))) return tools;
    const onPath = findExecutable("pulumi", process.env.PATH);
    if (!onPath) {
        throw new Error("the Pulumi CLI was not found: run `npm run setup` to build it into .tools/bin, or install pulumi and put it on PATH");
    }
    return path.dirname(path.dirname(fs.realpathSync(onPath)));
}
