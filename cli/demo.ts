import * as path from "node:path";
import { CommandError } from "@pulumi/pulumi/automation";
import { RegistryClient } from "../provider";
import { publishKos } from "../program";
import { pushBaseImageFixture } from "./baseImage";
import { startLocalRegistry } from "./localRegistry";
import { openStack } from "./stack";

/** Registry port of the demo; fixed so that the demo stack's image names stay the same between runs. */
const defaultDemoPort = 5055;

/**
 * Publishes the example's kos entries to a local registry with `pulumi up`, prints each kos id
 * with its image reference, and fetches every manifest back to show that it was pushed.
 */
async function main(): Promise<void> {
    const projectDir = path.resolve(__dirname, "..", "..");
    const port = Number(process.env.KOS_DEMO_REGISTRY_PORT ?? defaultDemoPort);
    const registry = await startLocalRegistry({ storageDir: path.join(projectDir, ".state", "registry"), port });
    try {
        console.log(`Registry on ${registry.address}; storage in ${registry.storageDir}`);
        const baseImage = pushBaseImageFixture(registry.address);
        console.log(`Base image fixture: ${baseImage}`);

        // The example's templates read the registry from KOS_REGISTRY. This repository has no
        // release tags, so templates use GoReleaser's snapshot version.
        process.env.KOS_REGISTRY = `${registry.address}/demo`;
        const stack = await openStack({
            projectDir,
            stackName: "demo",
            program: publishKos,
            config: {
                goreleaserConfig: process.env.KOS_DEMO_GORELEASER_CONFIG ?? "examples/hello/.goreleaser.yaml",
                koDockerRepo: "",
                defaultBaseImage: baseImage,
                snapshot: "true",
            },
        });
        const result = await stack.up({ onOutput: (text) => process.stdout.write(text), onError: (text) => process.stderr.write(text) });
        const imageRefs = (result.outputs.imageRefs?.value ?? {}) as Record<string, string>;

        console.log("\nPublished images (kos id, image reference, what the registry serves):");
        const client = new RegistryClient();
        for (const [id, ref] of Object.entries(imageRefs)) {
            const { manifest, mediaType } = await client.getManifest(ref);
            const platforms = manifest.manifests?.map((child) => `${child.platform?.os}/${child.platform?.architecture}`).join(", ");
            console.log(`  ${id}  ${ref}`);
            console.log(`      ${mediaType}${platforms ? ` (${platforms})` : ""}`);
        }
    } finally {
        await registry.stop();
    }
}

main().catch((error: unknown) => {
    // A failed Pulumi command has already streamed its diagnostics, which its error repeats.
    const message = error instanceof CommandError ? "pulumi up failed; see the diagnostics above" : error instanceof Error ? error.message : String(error);
    console.error(`demo failed: ${message}`);
    process.exit(1);
});
