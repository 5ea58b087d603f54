import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { runKoBuild } from "../ko/driver";
import { RegistryClient, RegistryError } from "../registry/client";
import { readPublishedImage } from "./published";
import { computeSourceState, type SourceState } from "./sourceState";
import { formatKeyPath } from "../config/problems";
import { diffedFields, imageFields } from "../spec/fields";
import { findProjectRoot } from "../spec/projectRoot";
import { resolveImageSpec, type KoImageSpec, type ResolvedImageSpec } from "../spec/spec";
import { validateImageSpec } from "../spec/validate";

/**
 * The provider's work, loaded by the serialized provider inside each method so that nothing of
 * this module (zod, execa, the ko driver) is captured in the Pulumi state.
 */

/** Value that the Pulumi engine passes for inputs not known during preview. */
const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Outputs of a published image; the inputs are stored beside them so that diff and update can read them. */
export interface KoImageState extends ResolvedImageSpec, SourceState {
    /** `<name>@sha256:<hex>`: what downstream resources should deploy. */
    readonly imageRef: string;
    /** `sha256:<hex>` of the index, or of the image for one platform. */
    readonly digest: string;
    /** Repository of the image in the first repository, after ko's naming. */
    readonly imageName: string;
    /** Tags pushed, each `<imageName>:<tag>`. */
    readonly publishedTags: readonly string[];
    /** Digest of each platform's image, keyed `os/arch[/variant]`. */
    readonly platformDigests: Record<string, string>;
    /** SBOM attachments pushed beside the image, `<imageName>:sha256-<hex>.sbom`. */
    readonly sbomRefs: readonly string[];
}

/** Validates the inputs, returns every problem at once, and fills GoReleaser's defaults. */
export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    const known: Record<string, unknown> = {};
    const unknownFields = new Set<string>();

    for (const field of imageFields) {
        const value = news[field.input];
        if (value === undefined || value === null) continue;
        if (containsUnknown(value)) {
            unknownFields.add(field.input);
            continue;
        }
        const parsed = field.schema.safeParse(value);
        if (!parsed.success) {
            for (const issue of parsed.error.issues) {
                failures.push({ property: formatKeyPath([field.input, ...issue.path]), reason: `${issue.message} (got ${JSON.stringify(value)})` });
            }
            continue;
        }
        known[field.input] = parsed.data;
    }
    if (failures.length > 0) return { failures };

    for (const problem of validateImageSpec(known as KoImageSpec)) {
        if (unknownFields.has(String(problem.path[0]))) continue;
        const value = problem.value === undefined ? "" : ` (got ${JSON.stringify(problem.value)})`;
        failures.push({ property: formatKeyPath(problem.path), reason: `${problem.message}${value}` });
    }
    if (failures.length > 0) return { failures };

    // Defaults are filled once every value is known, in the check that precedes the real update.
    if (unknownFields.size > 0) return { inputs: news };
    const spec = resolveImageSpec(known as KoImageSpec);
    try {
        const source = await computeSourceState(spec, findProjectRoot());
        return { inputs: withoutUndefined({ ...news, ...spec, ...source }) };
    } catch (error) {
        return { failures: [{ property: "main", reason: (error as Error).message }] };
    }
}

/**
 * Compares the stored inputs with the new ones, field by field from the field table. Only image
 * inputs count, so a new version of this provider's code alone never causes a rebuild. Images
 * are content-addressed, so every change is an in-place update.
 */
export async function diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.DiffResult> {
    const changed = diffedFields.filter((field) => containsUnknown(news[field.input]) || !isDeepStrictEqual(olds[field.input], news[field.input]));
    return { changes: changed.length > 0 || tagsMissing(olds), replaces: [], deleteBeforeReplace: false };
}

/** Whether a refresh found that some configured tags no longer point at the published digest. */
function tagsMissing(olds: Record<string, unknown>): boolean {
    const { imageName, tags, publishedTags } = olds as Partial<KoImageState>;
    if (imageName === undefined || tags === undefined || publishedTags === undefined) return false;
    return tags.some((tag) => !publishedTags.includes(`${imageName}:${tag}`));
}

/**
 * Checks the published image in the registry on `pulumi refresh`. An image whose digest is gone
 * makes the resource gone, so the next `pulumi up` publishes it again. Tags that moved to another
 * digest or disappeared are reported and dropped from `publishedTags`, so the next update pushes
 * them again. Errors other than "not found" keep the stored state, with a warning.
 */
export async function read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
    const state = props as Partial<KoImageState>;
    if (state.imageName === undefined || state.digest === undefined) return { id, props };
    const client = new RegistryClient();

    const imageRef = `${state.imageName}@${state.digest}`;
    const found = await findDigest(client, imageRef);
    if (found === "error") return { id, props };
    if (found === undefined) {
        console.warn(`${imageRef} is no longer in the registry; the next update publishes it again`);
        return {};
    }

    const kept: string[] = [];
    for (const tagRef of state.publishedTags ?? []) {
        const tagDigest = await findDigest(client, tagRef);
        if (tagDigest === state.digest || tagDigest === "error") {
            kept.push(tagRef);
        } else {
            console.warn(`${tagRef} ${tagDigest === undefined ? "no longer exists" : `now points at ${tagDigest}`}; the next update tags ${imageRef} again`);
        }
    }
    return { id, props: { ...props, publishedTags: kept } };
}

/** Returns the digest a reference resolves to, undefined when the registry does not have it, or "error" (with a warning). */
async function findDigest(client: RegistryClient, reference: string): Promise<string | undefined | "error"> {
    try {
        return (await client.getManifest(reference)).digest;
    } catch (error) {
        if (error instanceof RegistryError && error.status === 404) return undefined;
        console.warn(`Could not check ${reference} in the registry, so its state is kept: ${(error as Error).message}`);
        return "error";
    }
}

/** Builds and pushes the image; a failure throws before anything is recorded. */
export async function create(inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
    const state = await publish(inputs);
    return { id: state.imageName, outs: withoutUndefined(state) };
}

/** Builds and pushes again; the resource keeps its id. */
export async function update(_id: string, _olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.UpdateResult> {
    return { outs: withoutUndefined(await publish(news)) };
}

async function publish(inputs: Record<string, unknown>): Promise<KoImageState> {
    const spec = resolveImageSpec(parseSpec(inputs));
    const workingDir = path.resolve(findProjectRoot(), spec.workingDir);
    const result = await runKoBuild({
        spec,
        workingDir,
        mode: "push",
        onProgress: (line) => console.log(line),
    });
    const published = await readPublishedImage(new RegistryClient(), result.imageName, result.digest);
    return {
        ...spec,
        sourceFingerprint: inputs.sourceFingerprint as SourceState["sourceFingerprint"],
        baseImageDigest: inputs.baseImageDigest as string | undefined,
        imageRef: result.imageRef,
        digest: result.digest,
        imageName: result.imageName,
        publishedTags: spec.tags.map((tag) => `${result.imageName}:${tag}`),
        platformDigests: published.platformDigests,
        sbomRefs: published.sbomRefs,
    };
}

/** Picks the image fields out of the inputs, which also carry `__provider` and the declared outputs. */
function parseSpec(inputs: Record<string, unknown>): KoImageSpec {
    const shape = Object.fromEntries(imageFields.map((field) => [field.input, field.schema.optional()]));
    return z.object(shape).parse(inputs) as KoImageSpec;
}

/** Drops keys whose value is undefined: the engine's protobuf encoding rejects them. */
function withoutUndefined<T extends object>(value: T): Record<string, unknown> {
    return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined));
}

function containsUnknown(value: unknown): boolean {
    if (value === unknownValue) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
    return false;
}
