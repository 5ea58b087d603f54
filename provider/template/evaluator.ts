// Execution of a parsed template against GoReleaser's data, following Go's text/template with the
// option missingkey=error: reading a key that a map does not have is an error.

import { rootMapType } from "./context";
import { EvaluationFailure, TemplateError } from "./errors";
import type { FunctionEnvironment, ParameterKind, TemplateFunction } from "./functionTypes";
import { missingEnvHint, missingVariableHint } from "./hints";
import type { ArgumentNode, CommandNode, Node, PipeNode, RangeNode, TemplateTree } from "./nodes";
import { formatDefault } from "./printf";
import type { FunctionRegistry } from "./registry";
import { timeMethods } from "./timeMethods";
import { GoMap, GoStruct, GoTime, goTypeName, isTrue, type GoValue } from "./values";

/** Marks the absence of a piped value, as Go's missingVal does; distinct from nil. */
const missing = Symbol("missing");
type PipedValue = GoValue | typeof missing;

/** Thrown by {{break}} and {{continue}} and caught by the enclosing range. */
class BreakSignal {}
class ContinueSignal {}

interface Variable {
    readonly name: string;
    value: GoValue;
}

/**
 * Executes a template tree against `data` and returns the output. Every function called is
 * reported to `onFunctionCall`. Throws a {@link TemplateError} at the action that failed.
 */
export function execute(
    tree: TemplateTree,
    data: GoMap,
    functions: FunctionRegistry,
    environment: FunctionEnvironment,
    onFunctionCall: (definition: TemplateFunction) => void,
): string {
    return new Evaluator(tree, functions, environment, onFunctionCall).run(data);
}

class Evaluator {
    private output = "";
    private variables: Variable[] = [];
    /** Offset of the node being evaluated, where an error is reported. */
    private offset = 0;

    constructor(
        private readonly tree: TemplateTree,
        private readonly functions: FunctionRegistry,
        private readonly environment: FunctionEnvironment,
        private readonly onFunctionCall: (definition: TemplateFunction) => void,
    ) {}

    run(data: GoMap): string {
        this.variables = [{ name: "$", value: data }];
        try {
            this.walkList(data, this.tree.root);
        } catch (error) {
            if (error instanceof EvaluationFailure) {
                throw new TemplateError(this.tree.text, "execute", this.offset, error.message, { cause: error.cause });
            }
            throw error;
        }
        return this.output;
    }

    private fail(message: string): never {
        throw new EvaluationFailure(message);
    }

    private at(offset: number): void {
        this.offset = offset;
    }

    // Walking the tree.

    private walkList(dot: GoValue, nodes: readonly Node[]): void {
        for (const node of nodes) this.walk(dot, node);
    }

    private walk(dot: GoValue, node: Node): void {
        this.at(node.offset);
        switch (node.type) {
            case "text":
                this.output += node.text;
                return;
            case "action": {
                const value = this.evalPipeline(dot, node.pipe);
                if (node.pipe.declarations.length === 0) this.output += value === null ? "<no value>" : formatDefault(value);
                return;
            }
            case "if":
            case "with":
                this.walkIfOrWith(dot, node.type, node.pipe, node.list, node.elseList);
                return;
            case "range":
                this.walkRange(dot, node);
                return;
            case "break":
                throw new BreakSignal();
            case "continue":
                throw new ContinueSignal();
        }
    }

    private walkIfOrWith(dot: GoValue, kind: "if" | "with", pipe: PipeNode, list: readonly Node[], elseList: readonly Node[] | undefined): void {
        const mark = this.variables.length;
        try {
            const value = this.evalPipeline(dot, pipe);
            if (isTrue(value)) this.walkList(kind === "with" ? value : dot, list);
            else if (elseList) this.walkList(dot, elseList);
        } finally {
            this.variables.length = mark;
        }
    }

    private walkRange(dot: GoValue, node: RangeNode): void {
        const mark = this.variables.length;
        try {
            const value = this.evalPipeline(dot, node.pipe);
            const bodyMark = this.variables.length;
            const { declarations, isAssign } = node.pipe;
            const iterate = (index: GoValue, element: GoValue): boolean => {
                if (declarations.length === 1) {
                    if (isAssign) this.assignVariable(declarations[0], element);
                    else this.variables[this.variables.length - 1].value = element;
                } else if (declarations.length === 2) {
                    if (isAssign) {
                        this.assignVariable(declarations[0], index);
                        this.assignVariable(declarations[1], element);
                    } else {
                        this.variables[this.variables.length - 1].value = element;
                        this.variables[this.variables.length - 2].value = index;
                    }
                }
                try {
                    this.walkList(element, node.list);
                } catch (signal) {
                    if (signal instanceof BreakSignal) return false;
                    if (!(signal instanceof ContinueSignal)) throw signal;
                } finally {
                    this.variables.length = bodyMark;
                }
                return true;
            };

            const items = this.rangeItems(value, declarations.length);
            if (items.length === 0) {
                if (node.elseList) this.walkList(dot, node.elseList);
                return;
            }
            for (const [index, element] of items) {
                if (!iterate(index, element)) break;
            }
        } finally {
            this.variables.length = mark;
        }
    }

    /** Lists the (index or key, element) pairs of a range: lists by position, maps by sorted key, integers n as 0…n-1. */
    private rangeItems(value: GoValue, declarationCount: number): [GoValue, GoValue][] {
        if (Array.isArray(value)) return value.map((element, index) => [BigInt(index), element]);
        if (value instanceof GoMap) return value.sortedEntries();
        if (value === null) return [];
        if (typeof value === "bigint") {
            if (declarationCount > 1) this.fail(`can't use ${value} to iterate over more than one variable`);
            const items: [GoValue, GoValue][] = [];
            for (let index = 0n; index < value; index++) items.push([null, index]);
            return items;
        }
        return this.fail(`range can't iterate over ${formatDefault(value)} of type ${goTypeName(value)}: range takes a list, a map or an integer`);
    }

    // Variables.

    private variableValue(name: string): GoValue {
        for (let index = this.variables.length - 1; index >= 0; index--) {
            if (this.variables[index].name === name) return this.variables[index].value;
        }
        return this.fail(`undefined variable: ${name}`);
    }

    private assignVariable(name: string, value: GoValue): void {
        for (let index = this.variables.length - 1; index >= 0; index--) {
            if (this.variables[index].name === name) {
                this.variables[index].value = value;
                return;
            }
        }
        this.fail(`undefined variable: ${name}`);
    }

    // Pipelines and commands.

    private evalPipeline(dot: GoValue, pipe: PipeNode): GoValue {
        this.at(pipe.offset);
        let value: PipedValue = missing;
        for (const command of pipe.commands) value = this.evalCommand(dot, command, value);
        const result = value === missing ? null : value;
        for (const name of pipe.declarations) {
            if (pipe.isAssign) this.assignVariable(name, result);
            else this.variables.push({ name, value: result });
        }
        return result;
    }

    private evalCommand(dot: GoValue, command: CommandNode, final: PipedValue): GoValue {
        const [first] = command.args;
        this.at(first.offset);
        switch (first.type) {
            case "field":
                return this.evalFieldChain(dot, dot, first.names, command.args, final);
            case "chain":
                return this.evalFieldChain(dot, this.evalArgument(dot, first.node, "any"), first.fields, command.args, final);
            case "identifier":
                return this.evalFunction(dot, first.name, command.args.slice(1), final);
            case "variable": {
                const value = this.variableValue(first.name);
                if (first.fields.length === 0) {
                    this.checkNoArguments(command.args, final, first.name);
                    return value;
                }
                return this.evalFieldChain(dot, value, first.fields, command.args, final);
            }
            case "pipe":
                this.checkNoArguments(command.args, final, "a parenthesized pipeline");
                return this.evalPipeline(dot, first);
        }
        this.checkNoArguments(command.args, final, this.tree.text.slice(first.offset).split(/[\s|)]/)[0]);
        switch (first.type) {
            case "bool":
                return first.value;
            case "dot":
                return dot;
            case "nil":
                return this.fail("nil is not a command");
            case "number":
                return first.float ?? (first.integer as bigint);
            case "string":
                return first.value;
        }
    }

    private checkNoArguments(args: readonly ArgumentNode[], final: PipedValue, what: string): void {
        if (args.length > 1 || final !== missing) this.fail(`can't give argument to non-function ${what}`);
    }

    /** Evaluates `.A.B.C` on a receiver; the last field gets the arguments when it is a method. */
    private evalFieldChain(dot: GoValue, receiver: GoValue, names: readonly string[], args: readonly ArgumentNode[], final: PipedValue): GoValue {
        let value = receiver;
        names.forEach((name, index) => {
            const last = index === names.length - 1;
            value = this.evalField(dot, name, value, last ? args.slice(1) : [], last ? final : missing);
        });
        return value;
    }

    private evalField(dot: GoValue, name: string, receiver: GoValue, args: readonly ArgumentNode[], final: PipedValue): GoValue {
        const hasArguments = args.length > 0 || final !== missing;
        if (receiver === null) return this.fail(`nil data; no entry for key ${JSON.stringify(name)}`);
        if (receiver instanceof GoTime) return this.callTimeMethod(dot, receiver, name, args, final);
        if (receiver instanceof GoMap) {
            if (hasArguments) this.fail(`${name} is not a method but has arguments`);
            const value = receiver.get(name);
            if (value === undefined) this.fail(this.missingKeyMessage(receiver, name));
            return value as GoValue;
        }
        if (receiver instanceof GoStruct) {
            const value = receiver.get(name);
            if (value !== undefined) {
                if (hasArguments) this.fail(`${name} has arguments but cannot be invoked as function`);
                return value;
            }
        }
        return this.fail(`can't evaluate field ${name} in type ${goTypeName(receiver)}`);
    }

    private missingKeyMessage(map: GoMap, key: string): string {
        const message = `map has no entry for key ${JSON.stringify(key)}`;
        if (map.typeName === "context.Env") return `${message}: ${missingEnvHint(key)}`;
        if (map.typeName === rootMapType) return `${message}: ${missingVariableHint(key, map.sortedKeys())}`;
        return message;
    }

    /** Calls one of the time.Time methods that templates use on `.Now`, such as Format or Unix. */
    private callTimeMethod(dot: GoValue, time: GoTime, name: string, args: readonly ArgumentNode[], final: PipedValue): GoValue {
        const methods = timeMethods(time);
        if (!Object.hasOwn(methods, name)) {
            const known = Object.keys(methods).join(", ");
            return this.fail(`can't evaluate field ${name} in type time.Time: the supported methods are ${known}; for the month or weekday, use Format with "01" or "Mon"`);
        }
        const method = methods[name];
        const values = this.evalArguments(dot, `method ${name}`, method.parameters, undefined, args, final);
        return method.call(values);
    }

    // Functions.

    private evalFunction(dot: GoValue, name: string, args: readonly ArgumentNode[], final: PipedValue): GoValue {
        const definition = this.functions.get(name);
        if (!definition) return this.fail(`${JSON.stringify(name)} is not a defined function`);
        this.onFunctionCall(definition);
        const offset = this.offset;

        if (name === "and" || name === "or") return this.evalShortCircuit(dot, name, args, final);

        const values = this.evalArguments(dot, name, definition.parameters, definition.variadic, args, final);
        this.at(offset);
        try {
            return definition.call(values, this.environment);
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            throw new EvaluationFailure(`error calling ${name}: ${message}`, { cause: error });
        }
    }

    /** `and` returns its first false argument, `or` its first true one, without evaluating the rest; else the last argument. */
    private evalShortCircuit(dot: GoValue, name: "and" | "or", args: readonly ArgumentNode[], final: PipedValue): GoValue {
        const count = args.length + (final === missing ? 0 : 1);
        if (count < 1) this.fail(`wrong number of args for ${name}: want at least 1 got 0`);
        let value: GoValue = null;
        for (const arg of args) {
            value = this.evalArgument(dot, arg, "value");
            if (isTrue(value) === (name === "or")) return value;
        }
        return final === missing ? value : final;
    }

    /** Evaluates and type-checks the arguments of a call; a piped value is the last argument. */
    private evalArguments(
        dot: GoValue,
        name: string,
        parameters: readonly ParameterKind[],
        variadic: ParameterKind | undefined,
        args: readonly ArgumentNode[],
        final: PipedValue,
    ): GoValue[] {
        const count = args.length + (final === missing ? 0 : 1);
        if (variadic === undefined && count !== parameters.length) {
            this.fail(`wrong number of args for ${name}: want ${parameters.length} got ${count}`);
        }
        if (variadic !== undefined && count < parameters.length) {
            this.fail(`wrong number of args for ${name}: want at least ${parameters.length} got ${count}`);
        }
        const kindAt = (index: number): ParameterKind => (index < parameters.length ? parameters[index] : (variadic as ParameterKind));
        const values = args.map((arg, index) => this.evalArgument(dot, arg, kindAt(index)));
        if (final !== missing) values.push(this.checkType(final, kindAt(args.length)));
        return values;
    }

    /** Evaluates one argument for a parameter of the given kind, as Go's evalArg does. */
    private evalArgument(dot: GoValue, node: ArgumentNode, kind: ParameterKind): GoValue {
        this.at(node.offset);
        switch (node.type) {
            case "dot":
                return this.checkType(dot, kind);
            case "nil":
                if (kind === "any") return null;
                return this.fail(`cannot assign nil to ${parameterTypeName(kind)}`);
            case "field":
                return this.checkType(this.evalFieldChain(dot, dot, node.names, [node], missing), kind);
            case "variable": {
                const value = this.variableValue(node.name);
                return this.checkType(node.fields.length === 0 ? value : this.evalFieldChain(dot, value, node.fields, [node], missing), kind);
            }
            case "pipe":
                return this.checkType(this.evalPipeline(dot, node), kind);
            case "identifier":
                return this.checkType(this.evalFunction(dot, node.name, [], missing), kind);
            case "chain":
                return this.checkType(this.evalFieldChain(dot, this.evalArgument(dot, node.node, "any"), node.fields, [node], missing), kind);
            case "string":
                if (kind === "string" || kind === "value" || kind === "any") return node.value;
                break;
            case "bool":
                if (kind === "value" || kind === "any") return node.value;
                break;
            case "number":
                if (kind === "value" || kind === "any") return node.float ?? (node.integer as bigint);
                break;
        }
        const literal = node.type === "string" ? node.quoted : this.tree.text.slice(node.offset).split(/[\s|)}]/)[0];
        return this.fail(`expected ${parameterTypeName(kind)}; found ${literal}`);
    }

    /** Checks that a computed value fits a parameter, as Go's validateType does. */
    private checkType(value: GoValue, kind: ParameterKind): GoValue {
        switch (kind) {
            case "any":
            case "value":
                return value;
            case "string":
                if (typeof value === "string") return value;
                break;
            case "stringList":
                if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value;
                break;
            case "stringMap":
                if (value instanceof GoMap && (value.typeName === "map[string]string" || value.typeName === "context.Env")) return value;
                break;
        }
        if (value === null) return this.fail(`invalid value; expected ${parameterTypeName(kind)}`);
        return this.fail(`wrong type for value; expected ${parameterTypeName(kind)}; got ${goTypeName(value)}`);
    }
}

function parameterTypeName(kind: ParameterKind): string {
    const names: Record<ParameterKind, string> = {
        string: "string",
        stringList: "[]string",
        stringMap: "map[string]string",
        value: "reflect.Value",
        any: "interface {}",
    };
    return names[kind];
}
