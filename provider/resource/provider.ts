import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import type * as operationsModule from "./operations";

/**
 * The provider object that Pulumi serializes into each resource's state. It captures only two
 * strings and loads the real implementation (`operations`) inside each method, because a
 * captured library (zod, execa) would be copied by value into the state, or fail to serialize.
 */

/** Compiled `operations` module, relative to the program's folder (the provider's cwd), so that a moved checkout still loads it. */
const operationsFromProgram = path.relative(process.cwd(), require.resolve("./operations"));
/** The same module by absolute path, for providers started elsewhere. */
const operationsAbsolute = require.resolve("./operations");

function loadOperations(): typeof operationsModule {
    const nodePath = require("node:path") as typeof path;
    const candidates = [nodePath.resolve(process.cwd(), operationsFromProgram), operationsAbsolute];
    let lastError: unknown;
    for (const candidate of candidates) {
        try {
            return require(candidate) as typeof operationsModule;
        } catch (error) {
            lastError = error;
        }
    }
    throw new Error(`cannot load the pulumi-kos provider from ${candidates.join(" or ")}: reinstall pulumi-kos (${String(lastError)})`);
}

/** Dynamic provider of `KoImage`. */
export const koImageProvider: pulumi.dynamic.ResourceProvider = {
    async check(olds, news) {
        return loadOperations().check(olds, news);
    },
    async diff(id, olds, news) {
        return loadOperations().diff(id, olds, news);
    },
    async create(inputs) {
        return loadOperations().create(inputs);
    },
    async update(id, olds, news) {
        return loadOperations().update(id, olds, news);
    },
    // Images stay in the registry: a running workload may still pull this digest.
    async delete() {},
};
