import { z } from "zod";
import { imageFields } from "../spec/fields";

/**
 * Builds the schema of the parts of `.goreleaser.yaml` that kos entries use. `kos` entries are
 * strict, as GoReleaser's loader rejects unknown keys; `builds` entries and the top level accept
 * the many keys that other GoReleaser pipes read.
 */
export function makeGoreleaserSchema() {
    const imageKeys = Object.fromEntries(imageFields.map((field) => [field.kosKey, field.schema.optional()]));
    const kosEntry = z.strictObject({
        ...imageKeys,
        id: z.string().optional(),
        build: z.string().optional(),
        repository: z.string().optional(),
        local_domain: z.string().optional(),
        disable: z.union([z.string(), z.boolean()]).optional(),
    });

    // GoReleaser accepts one string for `ldflags` and `flags` of a build; see `toList` for the split.
    const stringOrList = z.union([z.string(), z.array(z.string())]);
    const build = z.looseObject({
        id: z.string().optional(),
        main: z.string().optional(),
        dir: z.string().optional(),
        ldflags: stringOrList.optional(),
        flags: stringOrList.optional(),
        env: z.array(z.string()).optional(),
        skip: z.union([z.string(), z.boolean()]).optional(),
    });

    return z.looseObject({
        version: z.number().optional(),
        project_name: z.string().optional(),
        env: z.array(z.string()).optional(),
        builds: z.array(build).optional(),
        kos: z.array(kosEntry).optional(),
    });
}

/** One `kos` entry as written in the file (GoReleaser v2.17 keys). */
export interface KosEntryInput {
    readonly id?: string;
    readonly build?: string;
    readonly main?: string;
    readonly working_dir?: string;
    readonly base_image?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
    readonly user?: string;
    readonly repository?: string;
    readonly repositories?: string[];
    readonly platforms?: string[];
    readonly tags?: string[];
    readonly creation_time?: string;
    readonly ko_data_creation_time?: string;
    readonly sbom?: string;
    readonly sbom_directory?: string;
    readonly ldflags?: string[];
    readonly flags?: string[];
    readonly env?: string[];
    readonly bare?: boolean;
    readonly preserve_import_paths?: boolean;
    readonly base_import_paths?: boolean;
    readonly local_domain?: string;
    readonly disable?: string | boolean;
}

/** One `builds` entry as written in the file, limited to the keys kos entries inherit. */
export interface BuildInput {
    readonly id?: string;
    readonly main?: string;
    readonly dir?: string;
    readonly ldflags?: string | string[];
    readonly flags?: string | string[];
    readonly env?: string[];
}

/** The parsed shape of `.goreleaser.yaml`, limited to the keys kos entries use. */
export interface GoreleaserFile {
    readonly version?: number;
    readonly project_name?: string;
    readonly env?: string[];
    readonly builds?: BuildInput[];
    readonly kos?: KosEntryInput[];
}
