import type * as pulumi from "@pulumi/pulumi";
import { RegistryClient } from "../registry/client";
import type { KoImageState } from "./state";

/**
 * Checks the published image in the registry on `pulumi refresh`. An image whose digest is gone
 * makes the resource gone, so the next `pulumi up` publishes it again. Tags that moved to another
 * digest or disappeared are reported and dropped from `publishedTags`, so the next update pushes
 * them again. Errors other than "not found" (auth, network) keep the stored state, with a warning.
 */
export async function refreshImage(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
    const state = props as Partial<KoImageState>;
    if (state.imageName === undefined || state.digest === undefined) return { id, props };
    const client = new RegistryClient({ registryAuth: state.registries ?? [] });

    const imageRef = `${state.imageName}@${state.digest}`;
    const found = await findDigest(client, imageRef);
    if (found === "error") return { id, props };
    if (found === undefined) {
        console.warn(`${imageRef} is no longer in the registry; the next update publishes it again`);
        return {};
    }

    const tagsStillPublished: string[] = [];
    for (const tagRef of state.publishedTags ?? []) {
        const tagDigest = await findDigest(client, tagRef);
        if (tagDigest === state.digest || tagDigest === "error") {
            tagsStillPublished.push(tagRef);
        } else {
            console.warn(`${tagRef} ${tagDigest === undefined ? "no longer exists" : `now points at ${tagDigest}`}; the next update tags ${imageRef} again`);
        }
    }
    return { id, props: { ...props, publishedTags: tagsStillPublished } };
}

/** Returns the digest a reference resolves to, undefined when the registry does not have it, or "error" (with a warning). */
async function findDigest(client: RegistryClient, reference: string): Promise<string | undefined | "error"> {
    try {
        return (await client.headManifest(reference))?.digest;
    } catch (error) {
        console.warn(`Could not check ${reference} in the registry, so its state is kept: ${(error as Error).message}`);
        return "error";
    }
}
