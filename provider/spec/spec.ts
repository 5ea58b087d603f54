/**
 * Plain values of a ko image, as the provider receives them. Each field is documented on the
 * resource inputs (`KoImageArgs`), which mirror this shape with Pulumi input types.
 */
export interface KoImageSpec {
    readonly main?: string;
    readonly workingDir?: string;
    readonly baseImage?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
    readonly user?: string;
    readonly repositories?: string[];
    readonly platforms?: string[];
    readonly tags?: string[];
    readonly creationTime?: string;
    readonly koDataCreationTime?: string;
    readonly sbom?: string;
    readonly sbomDirectory?: string;
    readonly ldflags?: string[];
    readonly flags?: string[];
    readonly env?: string[];
    readonly bare?: boolean;
    readonly preserveImportPaths?: boolean;
    readonly baseImportPaths?: boolean;
}

/** A ko image spec with every default applied: what the provider builds and stores. */
export type ResolvedImageSpec = Required<Omit<KoImageSpec, "creationTime" | "koDataCreationTime" | "sbomDirectory" | "user">> &
    Pick<KoImageSpec, "creationTime" | "koDataCreationTime" | "sbomDirectory" | "user">;

/** GoReleaser's base image when `base_image` is empty (GoReleaser v2.17). */
export const defaultBaseImage = "cgr.dev/chainguard/static";
/** GoReleaser's platforms when `platforms` is empty. */
export const defaultPlatforms: readonly string[] = ["linux/amd64"];
/** GoReleaser's tags when `tags` is empty. */
export const defaultTags: readonly string[] = ["latest"];
/** SBOM formats that ko v0.19 produces. */
export const sbomFormats: readonly string[] = ["spdx", "none"];

/**
 * Applies GoReleaser's defaults to every empty field. Tags that are empty or only white space
 * are dropped, as GoReleaser drops them after templating.
 */
export function resolveImageSpec(spec: KoImageSpec): ResolvedImageSpec {
    const tags = (spec.tags ?? []).filter((tag) => tag.trim() !== "");
    return {
        main: nonEmpty(spec.main) ?? ".",
        workingDir: nonEmpty(spec.workingDir) ?? ".",
        baseImage: nonEmpty(spec.baseImage) ?? defaultBaseImage,
        labels: spec.labels ?? {},
        annotations: spec.annotations ?? {},
        user: nonEmpty(spec.user),
        repositories: (spec.repositories ?? []).filter((repository) => repository.trim() !== ""),
        platforms: spec.platforms && spec.platforms.length > 0 ? [...spec.platforms] : [...defaultPlatforms],
        tags: spec.tags && spec.tags.length > 0 ? tags : [...defaultTags],
        creationTime: nonEmpty(spec.creationTime),
        koDataCreationTime: nonEmpty(spec.koDataCreationTime),
        sbom: nonEmpty(spec.sbom) ?? "spdx",
        sbomDirectory: nonEmpty(spec.sbomDirectory),
        ldflags: spec.ldflags ?? [],
        flags: spec.flags ?? [],
        env: spec.env ?? [],
        bare: spec.bare ?? false,
        preserveImportPaths: spec.preserveImportPaths ?? false,
        baseImportPaths: spec.baseImportPaths ?? false,
    };
}

function nonEmpty(value: string | undefined): string | undefined {
    return value === undefined || value === "" ? undefined : value;
}
