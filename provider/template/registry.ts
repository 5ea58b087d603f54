import { goBuiltinFunctions, unsupportedBuiltins } from "./builtins";
import { fileFunctions } from "./fileFunctions";
import type { TemplateFunction } from "./functionTypes";
import { goreleaserFunctions } from "./functions";
import type { FunctionTable } from "./parser";

/** Reasons for functions that Go or GoReleaser Pro offer but this engine does not. */
const unsupportedFunctions = new Map<string, string>([
    ...unsupportedBuiltins,
    ["in", "the in function is a GoReleaser Pro feature, which open-source GoReleaser templates do not have"],
    ["reReplaceAll", "the reReplaceAll function is a GoReleaser Pro feature, which open-source GoReleaser templates do not have"],
    ["listExclude", "the listExclude function is a GoReleaser Pro feature, which open-source GoReleaser templates do not have"],
]);

/** Every function a GoReleaser template may call: Go's built-ins and GoReleaser's own. */
export class FunctionRegistry implements FunctionTable {
    private readonly functions: ReadonlyMap<string, TemplateFunction>;

    constructor(functions: readonly TemplateFunction[] = [...goBuiltinFunctions, ...goreleaserFunctions, ...fileFunctions]) {
        this.functions = new Map(functions.map((definition) => [definition.name, definition]));
    }

    has(name: string): boolean {
        return this.functions.has(name);
    }

    get(name: string): TemplateFunction | undefined {
        return this.functions.get(name);
    }

    unsupportedReason(name: string): string | undefined {
        return this.functions.has(name) ? undefined : unsupportedFunctions.get(name);
    }

    /** Names of all functions, sorted, for messages. */
    names(): string[] {
        return [...this.functions.keys()].sort();
    }
}

/** The functions of GoReleaser v2.17's open-source templates. */
export const defaultFunctionRegistry = new FunctionRegistry();
