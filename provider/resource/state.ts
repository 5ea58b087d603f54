import type { RegistryAuth } from "../registry/credentials";
import type { ResolvedImageSpec } from "../spec/spec";
import type { SourceState } from "./sourceState";

/**
 * State the provider stores for one image: the resolved inputs and the outputs. The inputs are
 * kept because the engine gives diff, update and read the stored outputs only.
 */
export interface KoImageState extends ResolvedImageSpec, SourceState {
    /** Explicit registry credentials; stored as a secret. */
    readonly registries?: readonly RegistryAuth[];
    /** Inputs with their run-time values pinned, compared by the next diff. */
    readonly stableValues?: Record<string, unknown>;
    /** `<name>@sha256:<hex>`: what downstream resources should deploy. */
    readonly imageRef: string;
    /** `sha256:<hex>` of the index, or of the image for one platform. */
    readonly digest: string;
    /** Repository of the image in the first repository, after ko's naming. */
    readonly imageName: string;
    /** Tags pushed, each `<imageName>:<tag>`. */
    readonly publishedTags: readonly string[];
    /** Copies in the other repositories, each `<repository>:<tag>`. */
    readonly copies: readonly string[];
    /** Digest of each platform's image, keyed `os/arch[/variant]`. */
    readonly platformDigests: Record<string, string>;
    /** SBOM attachments pushed beside the image, `<imageName>:sha256-<hex>.sbom`. */
    readonly sbomRefs: readonly string[];
}

/** The references an image should have: its tags in the first repository and its copies in the others. */
export function expectedReferences(imageName: string, repositories: readonly string[], tags: readonly string[]): { publishedTags: string[]; copies: string[] } {
    return {
        publishedTags: tags.map((tag) => `${imageName}:${tag}`),
        copies: repositories.slice(1).flatMap((repository) => tags.map((tag) => `${repository}:${tag}`)),
    };
}
