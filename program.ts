import * as pulumi from "@pulumi/pulumi";
import { koImagesFromGoreleaser } from "./provider";

/** The GoReleaser configuration published when the stack sets none. */
export const defaultGoreleaserConfig = "examples/hello/.goreleaser.yaml";

/**
 * Publishes every kos entry of the stack's GoReleaser configuration and returns, as stack
 * outputs, a map from kos id to digest-pinned image reference.
 *
 * Stack settings: `goreleaserConfig` (path, relative to this folder), `koDockerRepo` (replaces
 * every entry's repositories, like `KO_DOCKER_REPO`), `defaultBaseImage` (base for entries
 * without `base_image`), `snapshot` (GoReleaser's `--snapshot` for template values) and
 * `buildOnPreview` (build what changed during preview, without pushing).
 */
export async function publishKos(): Promise<{ imageRefs: pulumi.Output<Record<string, string>> }> {
    const config = new pulumi.Config();
    const images = await koImagesFromGoreleaser(config.get("goreleaserConfig") ?? defaultGoreleaserConfig, {
        koDockerRepo: config.get("koDockerRepo"),
        defaultBaseImage: config.get("defaultBaseImage"),
        snapshot: config.getBoolean("snapshot"),
        buildOnPreview: config.getBoolean("buildOnPreview"),
    });
    const refs = Object.entries(images).map(([id, image]) => image.imageRef.apply((ref) => [id, ref] as const));
    return { imageRefs: pulumi.all(refs).apply((pairs) => Object.fromEntries(pairs)) };
}
