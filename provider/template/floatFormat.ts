// Formatting of float64 values as Go's strconv.FormatFloat does for the 'e', 'f' and 'g' formats,
// with round-half-to-even on the exact binary value, so that `printf "%.2f"` matches Go digit for digit.

/** Decimal digits of a finite, non-negative number: value = 0.digits × 10^decimalPoint. */
interface DecimalDigits {
    /** Significant digits without leading or trailing zeros; empty for zero. */
    digits: string;
    decimalPoint: number;
}

/** Returns the exact decimal expansion of a finite, non-negative double. */
function exactDigits(value: number): DecimalDigits {
    if (value === 0) return { digits: "", decimalPoint: 0 };
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, value);
    const bits = view.getBigUint64(0);
    const biasedExponent = Number((bits >> 52n) & 0x7ffn);
    const fraction = bits & ((1n << 52n) - 1n);
    const mantissa = biasedExponent === 0 ? fraction : fraction | (1n << 52n);
    const exponent = (biasedExponent === 0 ? 1 : biasedExponent) - 1075;

    let text: string;
    let decimalPoint: number;
    if (exponent >= 0) {
        text = (mantissa << BigInt(exponent)).toString();
        decimalPoint = text.length;
    } else {
        // m × 2^e = m × 5^-e / 10^-e, which is an exact decimal.
        text = (mantissa * 5n ** BigInt(-exponent)).toString();
        decimalPoint = text.length + exponent;
    }
    return trimDigits({ digits: text, decimalPoint });
}

function trimDigits(decimal: DecimalDigits): DecimalDigits {
    const leading = decimal.digits.length - decimal.digits.replace(/^0+/, "").length;
    const digits = decimal.digits.slice(leading).replace(/0+$/, "");
    return { digits, decimalPoint: digits === "" ? 0 : decimal.decimalPoint - leading };
}

/** Returns the shortest digits that read back as the same double, as JavaScript and Go both choose them. */
function shortestDigits(value: number): DecimalDigits {
    if (value === 0) return { digits: "", decimalPoint: 0 };
    const [mantissa, exponent] = value.toExponential().split("e");
    return trimDigits({ digits: mantissa.replace(".", ""), decimalPoint: Number(exponent) + 1 });
}

/** Rounds to `count` significant digits, ties to even, as Go's decimal rounding does on exact digits. */
function roundDigits(decimal: DecimalDigits, count: number): DecimalDigits {
    const { digits, decimalPoint } = decimal;
    if (count < 0 || count >= digits.length) return decimal;
    const next = digits.charCodeAt(count) - 48;
    const exactlyHalf = next === 5 && count + 1 === digits.length;
    const previousOdd = count > 0 && (digits.charCodeAt(count - 1) - 48) % 2 === 1;
    const roundUp = next > 5 || (next === 5 && (!exactlyHalf || previousOdd));
    if (!roundUp) return trimDigits({ digits: digits.slice(0, count), decimalPoint });
    if (count === 0) return { digits: "1", decimalPoint: decimalPoint + 1 };
    const rounded = (BigInt(digits.slice(0, count)) + 1n).toString();
    return trimDigits({ digits: rounded, decimalPoint: decimalPoint + rounded.length - count });
}

function digitAt(decimal: DecimalDigits, index: number): string {
    return index >= 0 && index < decimal.digits.length ? decimal.digits[index] : "0";
}

/** `d.ddde±dd` with `precision` digits after the point. */
function formatE(decimal: DecimalDigits, precision: number, letter: "e" | "E"): string {
    let text = decimal.digits === "" ? "0" : decimal.digits[0];
    if (precision > 0) {
        text += ".";
        for (let index = 1; index <= precision; index++) text += digitAt(decimal, index);
    }
    const exponent = decimal.digits === "" ? 0 : decimal.decimalPoint - 1;
    const sign = exponent < 0 ? "-" : "+";
    return `${text}${letter}${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
}

/** `ddd.ddd` with `precision` digits after the point. */
function formatF(decimal: DecimalDigits, precision: number): string {
    let text = "";
    if (decimal.decimalPoint > 0) {
        for (let index = 0; index < decimal.decimalPoint; index++) text += digitAt(decimal, index);
    } else {
        text = "0";
    }
    if (precision > 0) {
        text += ".";
        for (let index = 1; index <= precision; index++) text += digitAt(decimal, decimal.decimalPoint + index - 1);
    }
    return text;
}

/**
 * Formats a float64 as strconv.FormatFloat(value, format, precision, 64) does for the formats
 * e, E, f, g and G. A precision of -1 selects the fewest digits that identify the value.
 */
export function formatGoFloat(value: number, format: "e" | "E" | "f" | "g" | "G", precision: number): string {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "+Inf" : "-Inf";
    const negative = value < 0 || Object.is(value, -0);
    const sign = negative ? "-" : "";
    const magnitude = Math.abs(value);
    const shortest = precision < 0;

    let decimal: DecimalDigits;
    if (shortest) {
        decimal = shortestDigits(magnitude);
    } else {
        const exact = exactDigits(magnitude);
        switch (format) {
            case "e":
            case "E":
                decimal = roundDigits(exact, precision + 1);
                break;
            case "f":
                decimal = roundDigits(exact, exact.decimalPoint + precision);
                break;
            default:
                decimal = roundDigits(exact, precision === 0 ? 1 : precision);
        }
    }

    switch (format) {
        case "e":
        case "E":
            return sign + formatE(decimal, shortest ? Math.max(decimal.digits.length - 1, 0) : precision, format);
        case "f":
            return sign + formatF(decimal, shortest ? Math.max(decimal.digits.length - decimal.decimalPoint, 0) : precision);
    }

    // %g: the exponent form for small or large exponents, else the plain form.
    const digitCount = decimal.digits.length;
    let significant = precision;
    if (shortest) significant = digitCount;
    else if (precision === 0) significant = 1;
    let exponentLimit = significant;
    if (exponentLimit > digitCount && digitCount >= decimal.decimalPoint) exponentLimit = digitCount;
    if (shortest) exponentLimit = 6;
    const exponent = decimal.decimalPoint - 1;
    if (exponent < -4 || exponent >= exponentLimit) {
        if (significant > digitCount) significant = digitCount;
        return sign + formatE(decimal, significant - 1, format === "g" ? "e" : "E");
    }
    if (significant > decimal.decimalPoint) significant = digitCount;
    return sign + formatF(decimal, Math.max(significant - decimal.decimalPoint, 0));
}
