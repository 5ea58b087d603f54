import * as path from "node:path";
import { parseArgs } from "node:util";
import { CommandError } from "@pulumi/pulumi/automation";
import { publishKos } from "../program";
import { pushBaseImageFixture } from "./baseImage";
import { startLocalRegistry } from "./localRegistry";
import { openStack } from "./stack";

const usage = `Usage: npm run kos -- <command> [--stack NAME] [--config KEY=VALUE]...

Commands:
  up, preview, refresh, destroy   run that Pulumi operation on a stack of this project
  remove                          delete the stack and its history (destroy it first)
  registry                        start a local registry with a base image and wait; Ctrl-C stops it

Runs this project's program (publish the kos entries of a .goreleaser.yaml) through the Automation
API, with the Pulumi CLI of .tools/bin and a file:// backend in .state/backend (PULUMI_BACKEND_URL
overrides it). Settings, saved in Pulumi.<stack>.yaml and reused by later runs: goreleaserConfig
(path relative to the project folder), koDockerRepo, defaultBaseImage, snapshot (see Pulumi.yaml).
Options: --stack (default dev), --config KEY=VALUE (repeatable), --port (registry command).`;

const operations = ["up", "preview", "refresh", "destroy", "remove", "registry"];

/** Whether the Pulumi CLI's output has been shown, so that a failure need not repeat it. */
let streamed = false;

/** Runs one command on a stack of this project and prints each kos id with its image reference. */
async function main(argv: string[]): Promise<number> {
    const { positionals, values } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
            stack: { type: "string", default: "dev" },
            config: { type: "string", multiple: true, default: [] },
            port: { type: "string", default: "5055" },
            help: { type: "boolean" },
        },
    });
    const operation = positionals[0];
    if (values.help) {
        console.log(usage);
        return 0;
    }
    if (!operation || !operations.includes(operation)) {
        console.error(usage);
        return 2;
    }
    const config: Record<string, string> = {};
    for (const pair of values.config) {
        const at = pair.indexOf("=");
        if (at <= 0) {
            console.error(`invalid --config ${JSON.stringify(pair)}: use KEY=VALUE, such as goreleaserConfig=.goreleaser.yaml`);
            return 2;
        }
        config[pair.slice(0, at)] = pair.slice(at + 1);
    }

    // Relative paths in stack settings refer to the project folder, wherever the command runs.
    const projectDir = path.resolve(__dirname, "..", "..");
    process.chdir(projectDir);
    // The project's own tools (ko, crane, pulumi), as the npm scripts see them.
    process.env.PATH = [path.join(projectDir, ".tools", "bin"), process.env.PATH].filter(Boolean).join(path.delimiter);
    if (operation === "registry") return serveRegistry(projectDir, Number(values.port));

    const stack = await openStack({ projectDir, stackName: values.stack, program: publishKos, config });
    const onOutput = (text: string) => {
        streamed = true;
        process.stdout.write(text);
    };
    const onError = (text: string) => {
        streamed = true;
        process.stderr.write(text);
    };
    if (operation === "preview") {
        await stack.preview({ onOutput, onError, diff: true });
    } else if (operation === "refresh") {
        await stack.refresh({ onOutput, onError });
    } else if (operation === "destroy") {
        await stack.destroy({ onOutput, onError });
    } else if (operation === "remove") {
        await stack.workspace.removeStack(values.stack);
        console.log(`Removed stack ${values.stack}`);
    } else {
        const result = await stack.up({ onOutput, onError });
        const imageRefs = (result.outputs.imageRefs?.value ?? {}) as Record<string, string>;
        const width = Math.max(0, ...Object.keys(imageRefs).map((id) => id.length));
        console.log("\nPublished images:");
        for (const [id, ref] of Object.entries(imageRefs)) console.log(`  ${id.padEnd(width)}  ${ref}`);
    }
    return 0;
}

/** Starts the local registry of `.state/registry`, pushes the base image fixture, and runs until interrupted. */
async function serveRegistry(projectDir: string, port: number): Promise<number> {
    const registry = await startLocalRegistry({ storageDir: path.join(projectDir, ".state", "registry"), port });
    try {
        const baseImage = pushBaseImageFixture(registry.address);
        console.log(`Registry on ${registry.address}, with the base image ${baseImage}. Publish the example to it with:`);
        console.log(`  export KOS_REGISTRY=${registry.address}/dev`);
        console.log(`  npm run kos -- up --config defaultBaseImage=${baseImage} --config snapshot=true`);
        console.log("Press Ctrl-C to stop the registry.");
        await new Promise<void>((resolve) => {
            process.once("SIGINT", () => resolve());
            process.once("SIGTERM", () => resolve());
        });
    } finally {
        await registry.stop();
    }
    return 0;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
        // A failed Pulumi command's message repeats the diagnostics it streamed. When nothing was
        // streamed, because the stack could not be opened for example, the message is the only report.
        const failedCommand = error instanceof CommandError && streamed;
        const message = failedCommand ? "the Pulumi operation failed; see the diagnostics above" : error instanceof Error ? error.message.trim() : String(error);
        console.error(`error: ${message}`);
        process.exit(1);
    },
);
