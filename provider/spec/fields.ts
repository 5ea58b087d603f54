import { z } from "zod";

/** How a change of one image input reaches the registry. */
export type ChangeKind =
    /** The image content or its name changes: build and push again. */
    | "rebuild"
    /** Only references to the same image change: tag or copy the published digest, without building. */
    | "retag"
    /** Not part of the image, such as credentials: never a reason to update. */
    | "ignore";

/** One input of a ko image: its GoReleaser key, its resource input name and its value schema. */
export interface ImageField {
    /** Key of a `kos` entry in `.goreleaser.yaml`. */
    readonly kosKey: string;
    /** Name of the resource input, camelCase as Pulumi programs spell it. */
    readonly input: string;
    /** Values accepted before defaults are applied. */
    readonly schema: z.ZodType;
    /** What a change of this input does to the published image. */
    readonly change: ChangeKind;
}

const text = () => z.string();
const textList = () => z.array(z.string());
const textMap = () => z.record(z.string(), z.string());

/**
 * Every image input, in the order of GoReleaser's `kos` documentation. The config loader,
 * the resource check and the diff are all driven from this table, so that a field added here
 * is loaded, validated and diffed without further code.
 */
export const imageFields: readonly ImageField[] = [
    { kosKey: "main", input: "main", schema: text(), change: "rebuild" },
    { kosKey: "working_dir", input: "workingDir", schema: text(), change: "rebuild" },
    { kosKey: "base_image", input: "baseImage", schema: text(), change: "rebuild" },
    { kosKey: "labels", input: "labels", schema: textMap(), change: "rebuild" },
    { kosKey: "annotations", input: "annotations", schema: textMap(), change: "rebuild" },
    { kosKey: "user", input: "user", schema: text(), change: "rebuild" },
    // Only the first repository names the image; the update plan rebuilds when it changes and
    // copies when only the others do.
    { kosKey: "repositories", input: "repositories", schema: textList(), change: "retag" },
    { kosKey: "platforms", input: "platforms", schema: textList(), change: "rebuild" },
    { kosKey: "tags", input: "tags", schema: textList(), change: "retag" },
    { kosKey: "creation_time", input: "creationTime", schema: text(), change: "rebuild" },
    { kosKey: "ko_data_creation_time", input: "koDataCreationTime", schema: text(), change: "rebuild" },
    { kosKey: "sbom", input: "sbom", schema: text(), change: "rebuild" },
    { kosKey: "sbom_directory", input: "sbomDirectory", schema: text(), change: "rebuild" },
    { kosKey: "ldflags", input: "ldflags", schema: textList(), change: "rebuild" },
    { kosKey: "flags", input: "flags", schema: textList(), change: "rebuild" },
    { kosKey: "env", input: "env", schema: textList(), change: "rebuild" },
    { kosKey: "bare", input: "bare", schema: z.boolean(), change: "rebuild" },
    { kosKey: "preserve_import_paths", input: "preserveImportPaths", schema: z.boolean(), change: "rebuild" },
    { kosKey: "base_import_paths", input: "baseImportPaths", schema: z.boolean(), change: "rebuild" },
];

/** Keys of a `kos` entry that select or configure the entry itself rather than the image. */
export const entryOnlyKosKeys = ["id", "build", "repository", "local_domain", "disable"] as const;

/** An input that the provider computes in `check` and stores, so that a change of it shows in preview. */
export interface ComputedField {
    readonly input: string;
    readonly change: ChangeKind;
}

/** Inputs computed in `check`: what the sources and the base image were when last published. */
export const computedFields: readonly ComputedField[] = [
    { input: "sourceFingerprint", change: "rebuild" },
    { input: "baseImageDigest", change: "rebuild" },
];

/** Resource inputs that are not kos keys. */
export const settingFields: readonly ComputedField[] = [
    { input: "registries", change: "ignore" },
    // Compared through the fields it pins; see `comparableValue` in the provider.
    { input: "stableValues", change: "ignore" },
    // Changes only what a preview computes, never the published image.
    { input: "buildOnPreview", change: "ignore" },
];

/** Every input that `diff` looks at, with what a change of it does. */
export const diffedFields: readonly ComputedField[] = [...imageFields, ...settingFields, ...computedFields];

/** Finds the field for a resource input name. */
export function fieldForInput(input: string): ImageField | undefined {
    return imageFields.find((field) => field.input === input);
}
