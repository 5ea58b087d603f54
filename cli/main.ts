import * as path from "node:path";
import { parseArgs } from "node:util";
import { CommandError } from "@pulumi/pulumi/automation";
import { publishKos } from "../program";
import { openStack } from "./stack";

const usage = `Usage: node dist/cli/main.js <up|preview|refresh|destroy> [--stack NAME] [--config KEY=VALUE]...

Runs this project's Pulumi program (publish the kos entries of a .goreleaser.yaml) through the
Automation API, with the Pulumi CLI of .tools/bin and a file:// backend in .state/backend.
Settings: goreleaserConfig, koDockerRepo, defaultBaseImage (see Pulumi.yaml).`;

/** Runs one Pulumi operation on a stack of this project and prints each kos id with its image reference. */
async function main(argv: string[]): Promise<number> {
    const { positionals, values } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: { stack: { type: "string", default: "dev" }, config: { type: "string", multiple: true, default: [] }, help: { type: "boolean" } },
    });
    const operation = positionals[0];
    if (values.help || !operation || !["up", "preview", "refresh", "destroy"].includes(operation)) {
        console.error(usage);
        return values.help ? 0 : 2;
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

    const projectDir = path.resolve(__dirname, "..", "..");
    const stack = await openStack({ projectDir, stackName: values.stack, program: publishKos, config });
    const onOutput = (text: string) => process.stdout.write(text);
    const onError = (text: string) => process.stderr.write(text);
    if (operation === "preview") {
        await stack.preview({ onOutput, onError, diff: true });
        return 0;
    }
    if (operation === "refresh") {
        await stack.refresh({ onOutput, onError });
        return 0;
    }
    if (operation === "destroy") {
        await stack.destroy({ onOutput, onError });
        return 0;
    }
    const result = await stack.up({ onOutput, onError });
    const imageRefs = (result.outputs.imageRefs?.value ?? {}) as Record<string, string>;
    console.log("\nPublished images:");
    for (const [id, ref] of Object.entries(imageRefs)) console.log(`  ${id}  ${ref}`);
    return 0;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
        // A failed Pulumi command has already streamed its diagnostics, which its error repeats.
        const message = error instanceof CommandError ? "the Pulumi operation failed; see the diagnostics above" : error instanceof Error ? error.message : String(error);
        console.error(`error: ${message}`);
        process.exit(1);
    },
);
