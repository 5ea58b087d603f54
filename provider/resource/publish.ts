import * as path from "node:path";
import { runKoBuild } from "../ko/driver";
import { copyImage } from "../registry/copy";
import { RegistryClient } from "../registry/client";
import type { RegistryAuth } from "../registry/credentials";
import type { ResolvedImageSpec } from "../spec/spec";
import { withKoEnvironment } from "./koEnvironment";
import { readPublishedImage } from "./published";
import type { SourceState } from "./sourceState";
import { expectedReferences, type KoImageState } from "./state";

/** One image to publish, with everything the provider stored about it. */
export interface PublishRequest {
    readonly spec: ResolvedImageSpec;
    readonly source: SourceState;
    readonly registries: readonly RegistryAuth[];
    /** Inputs with their run-time values pinned, kept for the next diff. */
    readonly stableValues?: Record<string, unknown>;
    /** Folder that relative paths of the spec are relative to. */
    readonly projectRoot: string;
}

/**
 * Builds and pushes the image with ko, copies it to the other repositories for every tag (as
 * GoReleaser does), and reads the result back from the registry.
 */
export async function publishImage(request: PublishRequest): Promise<KoImageState> {
    const { spec, registries } = request;
    return withKoEnvironment(registries, async (env) => {
        const sbomDirectory = spec.sbomDirectory === undefined ? undefined : path.resolve(request.projectRoot, spec.sbomDirectory);

        const result = await runKoBuild({
            spec: { ...spec, sbomDirectory },
            workingDir: path.resolve(request.projectRoot, spec.workingDir),
            mode: "push",
            env,
            onProgress: (line) => console.log(line),
        });
        const client = new RegistryClient({ registryAuth: registries });
        const copies = await copyToOtherRepositories(client, result.imageRef, spec);
        const published = await readPublishedImage(client, result.imageName, result.digest);
        return {
            ...spec,
            ...request.source,
            registries,
            stableValues: request.stableValues,
            imageRef: result.imageRef,
            digest: result.digest,
            imageName: result.imageName,
            publishedTags: expectedReferences(result.imageName, spec.repositories, spec.tags).publishedTags,
            copies,
            platformDigests: published.platformDigests,
            sbomRefs: published.sbomRefs,
        };
    });
}

/**
 * Points the new tags and copies at the already published digest, without building: what an
 * update does when only tags or the other repositories changed.
 */
export async function retagImage(previous: KoImageState, request: PublishRequest): Promise<KoImageState> {
    const { spec, source, registries } = request;
    const client = new RegistryClient({ registryAuth: registries });
    for (const tag of spec.tags) {
        console.log(`Tagging ${previous.imageName}:${tag}`);
        await copyImage(previous.imageRef, `${previous.imageName}:${tag}`, { client });
    }
    const copies = await copyToOtherRepositories(client, previous.imageRef, spec);
    // The image was not rebuilt, so inputs with run-time values (a build date) keep the values it was built with.
    const builtValues = Object.fromEntries(Object.keys(request.stableValues ?? {}).map((input) => [input, (previous as unknown as Record<string, unknown>)[input]]));
    return {
        ...previous,
        ...spec,
        ...builtValues,
        ...source,
        registries,
        stableValues: request.stableValues,
        publishedTags: expectedReferences(previous.imageName, spec.repositories, spec.tags).publishedTags,
        copies,
    };
}

async function copyToOtherRepositories(client: RegistryClient, imageRef: string, spec: ResolvedImageSpec): Promise<string[]> {
    const { copies } = expectedReferences("", spec.repositories, spec.tags);
    for (const destination of copies) {
        console.log(`Copying ${imageRef} to ${destination}`);
        try {
            await copyImage(imageRef, destination, { client });
        } catch (error) {
            throw new Error(`could not copy ${JSON.stringify(imageRef)} to ${JSON.stringify(destination)}: ${(error as Error).message}`, { cause: error });
        }
    }
    return copies;
}
