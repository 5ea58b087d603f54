import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { findProjectRoot } from "../spec/projectRoot";
import type * as operationsModule from "./operations";

/**
 * The provider object that Pulumi serializes into each resource's state. It captures only two
 * strings and loads the real implementation (`operations`) inside each method, because a
 * captured library (zod, execa) would be copied by value into the state, or fail to serialize.
 */

/** The compiled `operations` module by absolute path. */
const operationsAbsolute = require.resolve("./operations");
/** The same module relative to the Pulumi project's folder, so that a moved checkout still loads it. */
const operationsFromProject = path.relative(findProjectRoot(), operationsAbsolute);

function loadOperations(): typeof operationsModule {
    const candidates = [resolveFromProject(operationsFromProject), operationsAbsolute];
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

/**
 * Resolves a path against the folder of the nearest Pulumi.yaml above the working directory. It
 * repeats `findProjectRoot` because a serialized function must load node modules itself.
 */
function resolveFromProject(relativePath: string): string {
    const fs = require("node:fs") as typeof import("node:fs");
    const nodePath = require("node:path") as typeof path;
    for (let dir = process.cwd(); ; dir = nodePath.dirname(dir)) {
        if (fs.existsSync(nodePath.join(dir, "Pulumi.yaml")) || fs.existsSync(nodePath.join(dir, "Pulumi.yml"))) {
            return nodePath.resolve(dir, relativePath);
        }
        if (nodePath.dirname(dir) === dir) return nodePath.resolve(process.cwd(), relativePath);
    }
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
    async read(id, props) {
        return loadOperations().read(id, props ?? {});
    },
    // Images stay in the registry: a running workload may still pull this digest.
    async delete() {},
};
