import { isDeepStrictEqual } from "node:util";
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { RegistryAuth } from "../registry/credentials";
import { predictImage, type PredictedImage } from "./previewBuild";
import { publishImage, retagImage, type PublishRequest } from "./publish";
import { refreshImage } from "./refresh";
import { computeSourceState, type SourceState } from "./sourceState";
import { expectedReferences, type KoImageState } from "./state";
import { formatKeyPath } from "../config/problems";
import { diffedFields, fieldForInput, imageFields } from "../spec/fields";
import { findProjectRoot } from "../spec/projectRoot";
import { resolveImageSpec, type KoImageSpec } from "../spec/spec";
import { validateImageSpec } from "../spec/validate";

/**
 * The provider's work, loaded by the serialized provider inside each method so that nothing of
 * this module (zod, execa, the ko driver) is captured in the Pulumi state.
 */

/** Value that the Pulumi engine passes for inputs not known during preview. */
const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Validates the inputs, returns every problem at once, and fills GoReleaser's defaults. With
 * `buildOnPreview`, it also predicts the image (see {@link withPredictedImage}).
 */
export async function check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
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
    failures.push(...checkRegistries(news.registries));
    failures.push(...checkBuildOnPreview(news.buildOnPreview));
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
    let inputs: Record<string, unknown>;
    try {
        // Run-time values (a build date in ldflags) must not change the fingerprint on their own.
        const stableValues = (news.stableValues ?? {}) as Partial<KoImageSpec>;
        const fingerprinted = { ...spec, ldflags: stableValues.ldflags ?? spec.ldflags, flags: stableValues.flags ?? spec.flags, env: stableValues.env ?? spec.env };
        const source = await computeSourceState(fingerprinted, findProjectRoot());
        inputs = withoutUndefined({ ...news, ...spec, ...source });
    } catch (error) {
        return { failures: [{ property: "main", reason: (error as Error).message }] };
    }
    // Credentials or pinned values may still be unknown, so the build waits for a check with known values.
    if (news.buildOnPreview !== true || containsUnknown(news)) return { inputs };
    return withPredictedImage(olds, inputs);
}

/**
 * Runs the preview build of `buildOnPreview` and sets the inputs `imageRef` and `digest` to what
 * publishing would produce. The engine shows an output that is also an input with the input's
 * value during a preview, so downstream resources (a Deployment's image) preview the exact
 * reference. Check runs in `pulumi preview` and `pulumi up` alike, because a dynamic provider
 * cannot tell them apart, so an `up` that publishes builds twice. The second build reuses Go's
 * build cache.
 *
 * - Nothing that names or builds the image changed since the stored inputs `olds` (at most
 *   tags, other repositories or ignored settings differ, and the source fingerprint is equal):
 *   no ko process runs, because these sources were built before. The stored `imageRef` and
 *   `digest` are reused when `olds` has them.
 * - The build fails, such as on a Go compile error: a check failure of `main` with ko's output.
 * - An input contains a run-time value (`stableValues` pins it, such as a build date from a
 *   template): the image still builds, to catch compile errors, but `imageRef` and `digest` stay
 *   unknown, because the next run publishes another digest.
 */
async function withPredictedImage(olds: Record<string, unknown>, inputs: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
    if (inputs.sourceFingerprint !== undefined && planUpdate(olds, inputs) === "retag") {
        const { imageRef, digest } = olds;
        return { inputs: typeof imageRef === "string" && typeof digest === "string" ? { ...inputs, imageRef, digest } : inputs };
    }
    let predicted: PredictedImage;
    try {
        predicted = await predictImage(publishRequest(inputs));
    } catch (error) {
        return { failures: [{ property: "main", reason: `the preview build (buildOnPreview: true) failed: ${(error as Error).message}` }] };
    }
    if (hasRunTimeValue(inputs)) return { inputs };
    return { inputs: { ...inputs, imageRef: predicted.imageRef, digest: predicted.digest } };
}

/** Reports whether an input that goes into the image contains a value that differs between runs, such as a build date. */
function hasRunTimeValue(inputs: Record<string, unknown>): boolean {
    const stableValues = (inputs.stableValues ?? {}) as Record<string, unknown>;
    return Object.entries(stableValues).some(([input, stable]) => fieldForInput(input)?.change === "rebuild" && !isDeepStrictEqual(stable, inputs[input]));
}

function checkBuildOnPreview(buildOnPreview: unknown): pulumi.dynamic.CheckFailure[] {
    if (buildOnPreview === undefined || buildOnPreview === null || buildOnPreview === unknownValue || typeof buildOnPreview === "boolean") return [];
    return [{ property: "buildOnPreview", reason: `expected true or false (got ${JSON.stringify(buildOnPreview)})` }];
}

/** Schema of the `registries` input, shaped like @pulumi/docker's registry credentials. */
const registriesSchema = z.array(z.object({ address: z.string().min(1), username: z.string().optional(), password: z.string().optional() }).strict());

function checkRegistries(registries: unknown): pulumi.dynamic.CheckFailure[] {
    if (registries === undefined || registries === null || containsUnknown(registries)) return [];
    const parsed = registriesSchema.safeParse(registries);
    if (parsed.success) return [];
    // The values may be secrets, so failures name the place and the rule only.
    return parsed.error.issues.map((issue) => ({ property: formatKeyPath(["registries", ...issue.path]), reason: issue.message }));
}

/**
 * Compares the stored inputs with the new ones, field by field from the field table. Only image
 * inputs count, so a new version of this provider's code alone never causes a rebuild. Images
 * are content-addressed, so every change is an in-place update.
 */
export async function diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.DiffResult> {
    const changed = diffedFields.filter(
        (field) => field.change !== "ignore" && (containsUnknown(news[field.input]) || !sameValue(olds, news, field.input)),
    );
    return { changes: changed.length > 0 || tagsMissing(olds), replaces: [], deleteBeforeReplace: false };
}

/** Reports whether a refresh found that some configured tags no longer point at the published digest. */
function tagsMissing(olds: Record<string, unknown>): boolean {
    const { imageName, tags, publishedTags } = olds as Partial<KoImageState>;
    if (imageName === undefined || tags === undefined || publishedTags === undefined) return false;
    return expectedReferences(imageName, [], tags).publishedTags.some((ref) => !publishedTags.includes(ref));
}

/** Checks the published image in the registry on `pulumi refresh`; see {@link refreshImage}. */
export async function read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
    return refreshImage(id, props);
}

/** Builds and pushes the image; a failure throws before anything is recorded. */
export async function create(inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
    const state = await publishImage(publishRequest(inputs));
    logMispredictedImage(inputs, state);
    return { id: state.imageName, outs: withoutUndefined(state) };
}

/**
 * Publishes again; the resource keeps its id. When only tags or the other repositories changed,
 * the published digest is tagged and copied without building.
 */
export async function update(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.UpdateResult> {
    const request = publishRequest(news);
    const previous = olds as Partial<KoImageState>;
    const state =
        planUpdate(olds, news) === "retag" && previous.imageRef !== undefined && previous.imageName !== undefined
            ? await retagImage(previous as KoImageState, request)
            : await publishImage(request);
    logMispredictedImage(news, state);
    return { outs: withoutUndefined(state) };
}

/**
 * Logs when the reference that check predicted (`buildOnPreview`) differs from the published
 * one, which becomes the output. Check and publish build from the same inputs, so this means that
 * the build is not reproducible (the Go build or kodata embeds something that varies), or
 * that the sources or the base image's tag changed in between.
 */
function logMispredictedImage(inputs: Record<string, unknown>, state: KoImageState): void {
    const predicted = inputs.imageRef;
    if (typeof predicted !== "string" || predicted === state.imageRef) return;
    console.log(`The preview build predicted ${predicted}, but the published image is ${state.imageRef}, which becomes the output: the build is not reproducible, or its sources changed in between`);
}

/**
 * Decides how an update reaches the registry: "retag" when every changed input only moves
 * references (tags, or repositories other than the first, which names the image), else "rebuild".
 */
export function planUpdate(olds: Record<string, unknown>, news: Record<string, unknown>): "rebuild" | "retag" {
    for (const field of diffedFields) {
        if (field.change === "ignore" || sameValue(olds, news, field.input)) continue;
        if (field.input === "repositories") {
            const [oldFirst] = (olds.repositories as string[] | undefined) ?? [];
            const [newFirst] = (news.repositories as string[] | undefined) ?? [];
            if (oldFirst !== newFirst) return "rebuild";
            continue;
        }
        if (field.change !== "retag") return "rebuild";
    }
    return "retag";
}

/**
 * Compares one input of the stored and the new inputs. An input that read a run-time value (a
 * build date) is compared by its `stableValues` entry, with that value pinned, when both sides
 * have one. So only a change of anything else counts.
 */
function sameValue(olds: Record<string, unknown>, news: Record<string, unknown>, input: string): boolean {
    const oldStable = (olds.stableValues as Record<string, unknown> | undefined)?.[input];
    const newStable = (news.stableValues as Record<string, unknown> | undefined)?.[input];
    if (oldStable !== undefined && newStable !== undefined) return isDeepStrictEqual(oldStable, newStable);
    return isDeepStrictEqual(olds[input], news[input]);
}

function publishRequest(inputs: Record<string, unknown>): PublishRequest {
    return {
        spec: resolveImageSpec(parseSpec(inputs)),
        source: { sourceFingerprint: inputs.sourceFingerprint as SourceState["sourceFingerprint"], baseImageDigest: inputs.baseImageDigest as string | undefined },
        registries: (inputs.registries as RegistryAuth[] | undefined) ?? [],
        stableValues: inputs.stableValues as Record<string, unknown> | undefined,
        projectRoot: findProjectRoot(),
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
