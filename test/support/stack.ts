import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { pushBaseImageFixture } from "../../cli/baseImage";
import { startLocalRegistry, type LocalRegistry } from "../../cli/localRegistry";
import { openStack } from "../../cli/stack";
import { publishKos } from "../../program";
import { repoRoot } from "./paths";

/** A local registry with the base image fixture, and a stack of this project on a throw-away backend. */
export interface TestStack {
    readonly registry: LocalRegistry;
    readonly baseImage: string;
    readonly stack: Stack;
    /** Removes the stack, its settings file, the backend and the registry. */
    dispose(): Promise<void>;
}

/** Starts a registry, pushes the base image fixture, and opens a new stack of the root program. */
export async function createTestStack(name: string, config: Record<string, string> = {}): Promise<TestStack> {
    const registry = await startLocalRegistry();
    const baseImage = pushBaseImageFixture(registry.address);
    const backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-kos-backend-"));
    const stackName = `${name}-${process.pid}`;
    // The example's templates read the registry from KOS_REGISTRY; this repository has no release
    // tags, so templates use GoReleaser's snapshot version.
    process.env.KOS_REGISTRY = `${registry.address}/e2e`;
    const stack = await openStack({
        projectDir: repoRoot,
        stackName,
        program: publishKos,
        backendUrl: `file://${backendDir}`,
        config: { defaultBaseImage: baseImage, snapshot: "true", ...config },
    });
    return {
        registry,
        baseImage,
        stack,
        async dispose() {
            await stack.workspace.removeStack(stackName, { force: true }).catch(() => undefined);
            fs.rmSync(path.join(repoRoot, `Pulumi.${stackName}.yaml`), { force: true });
            fs.rmSync(backendDir, { recursive: true, force: true });
            await registry.stop();
            fs.rmSync(registry.storageDir, { recursive: true, force: true });
        },
    };
}

/** Types of the resources recorded in the stack's state. */
export async function resourceTypes(stack: Stack): Promise<string[]> {
    const state = await stack.exportStack();
    const resources = (state.deployment as { resources?: { type: string }[] }).resources ?? [];
    return resources.map((resource) => resource.type);
}

/** Outputs of each resource of `type` in the stack's state, by resource name. */
export async function resourceOutputs(stack: Stack, type: string): Promise<Record<string, Record<string, unknown>>> {
    const state = await stack.exportStack();
    const resources = (state.deployment as { resources?: { type: string; urn: string; outputs?: Record<string, unknown> }[] }).resources ?? [];
    const outputs: Record<string, Record<string, unknown>> = {};
    for (const resource of resources) {
        if (resource.type === type) outputs[resource.urn.split("::").pop() ?? resource.urn] = resource.outputs ?? {};
    }
    return outputs;
}

/** Runs `pulumi up` and returns the error it fails with. */
export async function upError(stack: Stack): Promise<string> {
    try {
        await stack.up();
    } catch (error) {
        return error instanceof Error ? error.message : String(error);
    }
    throw new Error("expected pulumi up to fail");
}
