import * as pulumi from "@pulumi/pulumi";
import { loadGoreleaserConfig } from "./config/load";
import { KoImage } from "./resource/koImage";
import { findProjectRoot } from "./spec/projectRoot";

/** Options of {@link koImagesFromGoreleaser}. */
export interface GoreleaserImagesOptions {
    /**
     * Folder that a relative `file` and the images' working directories are relative to.
     * Default: the Pulumi project's folder (the nearest Pulumi.yaml above the working directory).
     */
    readonly baseDir?: string;
    /**
     * Repository that replaces every entry's `repositories`, as the `KO_DOCKER_REPO` environment
     * variable does for GoReleaser. Default: `KO_DOCKER_REPO` from the environment, if set.
     */
    readonly koDockerRepo?: string;
    /** Base image for entries without `base_image`, in place of GoReleaser's `cgr.dev/chainguard/static`. */
    readonly defaultBaseImage?: string;
    /**
     * GoReleaser's `--snapshot` for templates: `.Version` becomes `<version>-SNAPSHOT-<short commit>`
     * and a repository without release tags is accepted. Images are still pushed. Default: false.
     */
    readonly snapshot?: boolean;
    /** Sets `buildOnPreview` on every image: a preview builds (without pushing) what changed. Default: false. */
    readonly buildOnPreview?: boolean;
    /** Options given to every image resource, such as a parent or `dependsOn`. */
    readonly resourceOptions?: pulumi.CustomResourceOptions;
}

/**
 * Declares one {@link KoImage} per enabled `kos` entry of a GoReleaser configuration, named by the
 * entry's id, with the entry's templates evaluated. Rejects with a `ConfigError` listing every
 * problem of the file before any image is declared.
 */
export async function koImagesFromGoreleaser(file: string, options: GoreleaserImagesOptions = {}): Promise<Record<string, KoImage>> {
    const env = { ...process.env };
    if (options.koDockerRepo) env.KO_DOCKER_REPO = options.koDockerRepo;
    const config = await loadGoreleaserConfig(file, { baseDir: options.baseDir ?? findProjectRoot(), env, snapshot: options.snapshot });
    for (const warning of config.warnings) pulumi.log.warn(warning);

    const images: Record<string, KoImage> = {};
    for (const entry of config.entries) {
        if (entry.disabled) {
            pulumi.log.info(`kos entry ${entry.id} of ${file} is disabled; it publishes nothing`);
            continue;
        }
        const baseImage = entry.spec.baseImage || options.defaultBaseImage;
        const args = { ...entry.spec, baseImage, repositories: entry.spec.repositories ?? [], stableValues: entry.stableValues, buildOnPreview: options.buildOnPreview };
        images[entry.id] = new KoImage(entry.id, args, options.resourceOptions);
    }
    return images;
}
