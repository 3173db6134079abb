export const id = 525;
export const ids = [525];
export const modules = {

/***/ 4687:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   P: () => (/* binding */ CelError)
/* harmony export */ });
/* unused harmony export lineColumn */
/** The one error every CEL failure becomes: syntax, check and evaluation errors, with where in the expression. */
/** Line and column (both 1-based) of a character offset in a source text. */
function lineColumn(source, offset) {
    const at = Math.max(0, Math.min(offset, source.length));
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at; i++) {
        if (source[i] === '\n') {
            line++;
            lineStart = i + 1;
        }
    }
    // Columns count code points, as an editor does, not UTF-16 units.
    return { line, column: [...source.slice(lineStart, at)].length + 1 };
}
/** A CEL expression could not be parsed, checked or evaluated. */
class CelError extends Error {
    plain;
    kind;
    source;
    offset;
    /** 1-based line within the expression, when the position is known. */
    line;
    /** 1-based column within the line, when the position is known. */
    column;
    constructor(
    /** What went wrong, without the position. */
    plain, kind, 
    /** The expression as the user wrote it. */
    source, 
    /** 0-based character offset in `source`, when known. */
    offset) {
        const pos = offset === undefined ? undefined : lineColumn(source, offset);
        super(pos ? `${plain} (line ${pos.line}, column ${pos.column})` : plain);
        this.plain = plain;
        this.kind = kind;
        this.source = source;
        this.offset = offset;
        this.name = 'CelError';
        this.line = pos?.line;
        this.column = pos?.column;
    }
}


/***/ }),

/***/ 2875:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   LW: () => (/* binding */ evaluateCelCondition),
/* harmony export */   Sx: () => (/* binding */ evaluateCel),
/* harmony export */   u_: () => (/* binding */ compileCached),
/* harmony export */   yh: () => (/* binding */ describeCelError)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/* harmony import */ var _cel_error_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4687);
/* harmony import */ var _env_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5899);
/**
 * Evaluating success criteria, thresholds and rules by their source text: compiled programs are
 * cached (a rollout judges the same few expressions every interval), and errors are described
 * for people, with the line and a caret under the column.
 */



const CACHE_LIMIT = 1000;
const cache = new Map();
/** A compiled expression from the cache, compiling it on first use. */
function compileCached(source, vars, options = {}) {
    const key = `${options.mixedArithmetic === false ? 'strict' : 'mixed'}\u0000${[...vars].sort().join(',')}\u0000${source}`;
    const hit = cache.get(key);
    if (hit) {
        // Re-insert so the least recently used entry is the one evicted.
        cache.delete(key);
        cache.set(key, hit);
        return hit;
    }
    const compiled = (0,_env_js__WEBPACK_IMPORTED_MODULE_2__/* .compileExpression */ .W)(source, vars, options);
    if (cache.size >= CACHE_LIMIT)
        cache.delete(cache.keys().next().value);
    cache.set(key, compiled);
    return compiled;
}
/** Evaluates a CEL expression with these bindings; returns a plain JS value, throws CelError. */
function evaluateCel(source, bindings, options = {}) {
    const { vars = Object.keys(bindings), ...compileOptions } = options;
    return (0,_env_js__WEBPACK_IMPORTED_MODULE_2__/* .evaluate */ ._)(compileCached(source, vars, compileOptions), bindings);
}
/** Evaluates a condition: the expression must give true or false (CelError otherwise). */
function evaluateCelCondition(source, bindings, options = {}) {
    const result = evaluateCel(source, bindings, options);
    if (typeof result !== 'boolean') {
        const shown = typeof result === 'bigint' ? String(result) : JSON.stringify(result);
        throw new _cel_error_js__WEBPACK_IMPORTED_MODULE_1__/* .CelError */ .P(`the expression must give true or false, but it gave ${shown ?? String(result)}`, 'evaluation', source);
    }
    return result;
}
const LABELS = {
    syntax: 'CEL syntax error',
    check: 'CEL error',
    evaluation: 'CEL evaluation error'
};
/**
 * A multi-line description of an error: what failed, where, and the expression line with a caret
 * under the column. Anything that is not a CelError is described by its message.
 */
function describeCelError(err) {
    if (!(err instanceof _cel_error_js__WEBPACK_IMPORTED_MODULE_1__/* .CelError */ .P))
        return (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err);
    const label = LABELS[err.kind];
    if (err.line === undefined || err.column === undefined)
        return `${label}: ${err.plain}\n  ${err.source.split('\n').join('\n  ')}`;
    const line = err.source.split('\n')[err.line - 1] ?? '';
    // Keep tabs so the caret lines up under the same column in a terminal.
    const pad = [...line]
        .slice(0, err.column - 1)
        .map(c => (c === '\t' ? '\t' : ' '))
        .join('');
    return `${label} at line ${err.line}, column ${err.column}: ${err.plain}\n  ${line}\n  ${pad}^`;
}


/***/ }),

/***/ 5899:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  W: () => (/* binding */ compileExpression),
  _: () => (/* binding */ evaluate)
});

// EXTERNAL MODULE: ./node_modules/@bufbuild/cel/dist/esm/env.js + 11 modules
var env = __webpack_require__(611);
// EXTERNAL MODULE: ./node_modules/@bufbuild/cel/dist/esm/parse.js + 3 modules
var parse = __webpack_require__(3340);
// EXTERNAL MODULE: ./node_modules/@bufbuild/cel/dist/esm/plan.js + 9 modules
var plan = __webpack_require__(8217);
// EXTERNAL MODULE: ./node_modules/@bufbuild/cel/dist/esm/error.js
var error = __webpack_require__(2108);
// EXTERNAL MODULE: ./node_modules/@bufbuild/cel/dist/esm/ext/strings.js
var strings = __webpack_require__(5480);
// EXTERNAL MODULE: ./node_modules/@bufbuild/cel/dist/esm/run.js
var run = __webpack_require__(791);
// EXTERNAL MODULE: ./node_modules/@bufbuild/cel/dist/esm/uint.js
var uint = __webpack_require__(6060);
// EXTERNAL MODULE: ./node_modules/@bufbuild/cel/dist/esm/list.js
var list = __webpack_require__(9356);
// EXTERNAL MODULE: ./node_modules/@bufbuild/cel/dist/esm/map.js
var map = __webpack_require__(724);
// EXTERNAL MODULE: ./node_modules/@bufbuild/cel/dist/esm/type.js
var type = __webpack_require__(4540);
// EXTERNAL MODULE: ./node_modules/@bufbuild/cel/dist/esm/func.js
var func = __webpack_require__(8558);
// EXTERNAL MODULE: ./node_modules/@bufbuild/protobuf/dist/esm/reflect/guard.js
var guard = __webpack_require__(1394);
// EXTERNAL MODULE: ./src/cel/object-types.ts
var object_types = __webpack_require__(8057);
;// CONCATENATED MODULE: ./src/cel/values.ts
/**
 * Values in and out of CEL.
 *
 * In: JSON the Kubernetes way. Kubernetes types every field from its OpenAPI schema, so
 * `spec.replicas` is an `int` and `object.spec.replicas + 1` works. We have no schema, so every
 * integer-valued number becomes an `int` (bigint) and every other number stays a `double`; the
 * arithmetic overloads in numbers.ts make the mixed cases work.
 *
 * Out: plain JS values (bigint becomes number when it is safe), so callers never see CEL types.
 */



const INT64_LIMIT = 2 ** 63;
/** A JSON number as CEL sees it: integer-valued within int64 is `int`, anything else `double`. */
function celNumber(n) {
    return Number.isInteger(n) && Math.abs(n) < INT64_LIMIT ? BigInt(n) : n;
}
/** Converts a JSON-like JS value (what a Kubernetes client or JSON.parse returns) into CEL input. */
function toCelInput(value, path = '$') {
    switch (typeof value) {
        case 'string':
        case 'boolean':
        case 'bigint':
            return value;
        case 'number':
            return celNumber(value);
        case 'undefined':
            return null;
        case 'object':
            break;
        default:
            throw new TypeError(`${path}: a ${typeof value} cannot be passed to CEL`);
    }
    if (value === null)
        return null;
    if (value instanceof Uint8Array)
        return value;
    if (Array.isArray(value))
        return value.map((item, i) => toCelInput(item, `${path}[${i}]`));
    if (value instanceof Map) {
        const out = new Map();
        for (const [k, v] of value) {
            const key = typeof k === 'number' ? celNumber(k) : k;
            if (typeof key !== 'string' && typeof key !== 'bigint' && typeof key !== 'boolean') {
                throw new TypeError(`${path}: map keys must be strings, integers or booleans`);
            }
            if (v !== undefined)
                out.set(key, toCelInput(v, `${path}[${String(k)}]`));
        }
        return out;
    }
    // Like JSON.stringify: Dates and client-library model classes go through toJSON.
    const withToJson = value;
    if (typeof withToJson.toJSON === 'function')
        return toCelInput(withToJson.toJSON(), path);
    const out = new Map();
    for (const [k, v] of Object.entries(value)) {
        if (v !== undefined && typeof v !== 'function')
            out.set(k, toCelInput(v, `${path}.${k}`));
    }
    return out;
}
function fromMessage(value) {
    const kind = (0,object_types/* objectKind */.AF)(value);
    if (kind === 'optional') {
        const opt = (0,object_types/* unwrapObject */.Rs)('optional', value);
        return opt.value === undefined ? undefined : fromCelValue(opt.value);
    }
    if (kind)
        return (0,object_types/* objectDisplay */.eI)(value);
    const fields = value.message;
    const seconds = Number(fields.seconds ?? 0n);
    const nanos = fields.nanos ?? 0;
    switch (value.desc.typeName) {
        case 'google.protobuf.Timestamp':
            return new Date(seconds * 1000 + Math.floor(nanos / 1e6)).toISOString();
        case 'google.protobuf.Duration':
            return `${Number((seconds + nanos / 1e9).toPrecision(15))}s`;
        default:
            return `<${value.desc.typeName}>`;
    }
}
/** Converts a CEL result into a plain JS value: int/uint become number when safe, lists arrays, maps objects. */
function fromCelValue(value) {
    switch (typeof value) {
        case 'bigint':
            return Number.isSafeInteger(Number(value)) ? Number(value) : value;
        case 'number':
        case 'string':
        case 'boolean':
            return value;
    }
    if (value === null || value instanceof Uint8Array)
        return value;
    if ((0,uint/* isCelUint */.p)(value))
        return fromCelValue(value.value);
    if ((0,list/* isCelList */.B9)(value))
        return [...value].map(fromCelValue);
    if ((0,map/* isCelMap */.hV)(value)) {
        const out = {};
        for (const [k, v] of value)
            out[String((0,uint/* isCelUint */.p)(k) ? k.value : k)] = fromCelValue(v);
        return out;
    }
    if ((0,type/* isCelType */.fo)(value))
        return value.name;
    if ((0,guard/* isReflectMessage */.LT)(value))
        return fromMessage(value);
    return String(value);
}
/** The CEL type name of a value, for messages such as "expected a bool, got int". */
function celTypeName(value) {
    switch (typeof value) {
        case 'bigint':
            return 'int';
        case 'number':
            return 'double';
        case 'string':
            return 'string';
        case 'boolean':
            return 'bool';
    }
    if (value === null)
        return 'null';
    if (value instanceof Uint8Array)
        return 'bytes';
    if ((0,uint/* isCelUint */.p)(value))
        return 'uint';
    if ((0,list/* isCelList */.B9)(value))
        return 'list';
    if ((0,map/* isCelMap */.hV)(value))
        return 'map';
    if ((0,type/* isCelType */.fo)(value))
        return 'type';
    if ((0,guard/* isReflectMessage */.LT)(value))
        return value.desc.typeName;
    return 'unknown';
}

;// CONCATENATED MODULE: ./src/cel/optional.ts
/**
 * CEL's optional types (cel.OptionalTypes, on in Kubernetes since 1.28): `optional.of/none/ofNonZeroValue`,
 * `hasValue()`, `value()`, `orValue(x)`, `or(opt)`, and optional field and index access.
 *
 * @bufbuild/cel's parser rejects `a.?b` and `a[?k]`, so preprocess.ts rewrites them into calls of
 * OPTIONAL_SELECT / OPTIONAL_INDEX before parsing, and ast.ts makes every later `.c` or `[k]` in
 * the same chain optional too (as cel-go does: once a chain is optional, a missing step is none).
 * Optional list and map entries (`[?x]`, `{?k: v}`) and the optMap/optFlatMap macros are not supported.
 */




/** The method that `x.?f` becomes: `x.__opt_select__('f')`. */
const OPTIONAL_SELECT = '__opt_select__';
/** The method that `x[?k]` becomes: `x.__opt_index__(k)`. */
const OPTIONAL_INDEX = '__opt_index__';
/** Calls that produce an optional, so a field selection on their result stays optional. */
const OPTIONAL_PRODUCERS = new Set([
    OPTIONAL_SELECT,
    OPTIONAL_INDEX,
    'optional.of',
    'optional.ofNonZeroValue',
    'optional.none'
]);
/** A stable text for a CEL value, so that two equal optionals have equal keys. */
function valueKey(v) {
    switch (typeof v) {
        case 'bigint':
        case 'number':
            return `n:${Number(v)}`;
        case 'string':
            return `s:${JSON.stringify(v)}`;
        case 'boolean':
            return `b:${v}`;
    }
    if (v === null)
        return 'null';
    if (v instanceof Uint8Array)
        return `y:${[...v].join(',')}`;
    if ((0,uint/* isCelUint */.p)(v))
        return `n:${Number(v.value)}`;
    if ((0,list/* isCelList */.B9)(v))
        return `[${[...v].map(valueKey).join(',')}]`;
    if ((0,map/* isCelMap */.hV)(v)) {
        const entries = [...v].map(([k, x]) => `${valueKey(k)}=${valueKey(x)}`).sort();
        return `{${entries.join(',')}}`;
    }
    if ((0,type/* isCelType */.fo)(v))
        return `t:${v.name}`;
    if ((0,guard/* isReflectMessage */.LT)(v)) {
        const key = v.message.key;
        return `m:${v.desc.typeName}:${key ?? JSON.stringify(v.message, (_k, x) => (typeof x === 'bigint' ? String(x) : x))}`;
    }
    return '?';
}
const NONE = (0,object_types/* wrapObject */.Ys)('optional', '', {}, 'optional.none()');
/** An optional holding `value`. */
function someValue(value) {
    return (0,object_types/* wrapObject */.Ys)('optional', `some:${valueKey(value)}`, { value }, 'optional');
}
function isZero(v) {
    if (v === null || v === false || v === 0 || v === 0n || v === '')
        return true;
    if (v instanceof Uint8Array)
        return v.length === 0;
    if ((0,uint/* isCelUint */.p)(v))
        return v.value === 0n;
    if ((0,list/* isCelList */.B9)(v) || (0,map/* isCelMap */.hV)(v))
        return v.size === 0;
    return false;
}
const OPT = object_types/* OBJECT_TYPES */.iQ.optional;
const { DYN, BOOL, STRING } = type/* CelScalar */.ZR;
const payload = (v) => (0,object_types/* unwrapObject */.Rs)('optional', v);
function selectIfPresent(target, key) {
    if ((0,object_types/* objectKind */.AF)(target) === 'optional') {
        const inner = payload(target).value;
        return inner === undefined ? NONE : selectIfPresent(inner, key);
    }
    if ((0,map/* isCelMap */.hV)(target)) {
        const value = target.get(key);
        return value === undefined ? NONE : someValue(value);
    }
    if ((0,list/* isCelList */.B9)(target)) {
        const index = typeof key === 'bigint' ? Number(key) : (0,uint/* isCelUint */.p)(key) ? Number(key.value) : key;
        if (typeof index !== 'number' || !Number.isInteger(index))
            throw new Error(`invalid list index ${String(index)}`);
        const value = index >= 0 ? target.get(index) : undefined;
        return value === undefined ? NONE : someValue(value);
    }
    throw new Error(`optional access is not supported on ${celTypeName(target)}`);
}
/** The optional library functions and the two rewritten access methods. */
const optionalLibrary = [
    (0,func/* celFunc */.V)('optional.of', [DYN], OPT, v => someValue(v)),
    (0,func/* celFunc */.V)('optional.ofNonZeroValue', [DYN], OPT, v => (isZero(v) ? NONE : someValue(v))),
    (0,func/* celFunc */.V)('optional.none', [], OPT, () => NONE),
    (0,func/* celMethod */.y)('hasValue', OPT, [], BOOL, function () {
        return payload(this).value !== undefined;
    }),
    (0,func/* celMethod */.y)('value', OPT, [], DYN, function () {
        const value = payload(this).value;
        if (value === undefined)
            throw new Error('optional.none() dereference');
        return value;
    }),
    (0,func/* celMethod */.y)('orValue', OPT, [DYN], DYN, function (fallback) {
        const value = payload(this).value;
        return value === undefined ? fallback : value;
    }),
    (0,func/* celMethod */.y)('or', OPT, [OPT], OPT, function (other) {
        return payload(this).value === undefined ? other : this;
    }),
    (0,func/* celMethod */.y)(OPTIONAL_SELECT, DYN, [STRING], OPT, function (field) {
        return selectIfPresent(this, field);
    }),
    (0,func/* celMethod */.y)(OPTIONAL_INDEX, DYN, [DYN], OPT, function (key) {
        return selectIfPresent(this, key);
    })
];

;// CONCATENATED MODULE: ./src/cel/infer.ts

const infer_DYN = { k: 'dyn' };
const FRESH = { k: 'fresh' };
const scalar = (name) => ({ k: 'scalar', name });
const infer_BOOL = scalar('bool');
const CONSTANT_TYPES = {
    int64Value: 'int',
    uint64Value: 'uint',
    doubleValue: 'double',
    stringValue: 'string',
    boolValue: 'bool',
    bytesValue: 'bytes',
    nullValue: 'null_type'
};
const ARITHMETIC = new Set(['_+_', '_-_', '_*_', '_/_', '_%_']);
const EQUALITY = new Set(['_==_', '_!=_']);
const LOGIC = new Set(['_&&_', '_||_', '@not_strictly_false', 'not_strictly_false']);
// Methods whose result is the element type of the list they are called on (Kubernetes' lists library).
const ELEMENT_RESULT = new Set(['sum', 'min', 'max']);
const OBJECT_NAMES = {
    'google.protobuf.Duration': 'duration',
    'google.protobuf.Timestamp': 'timestamp'
};
/** The type as cel-go prints it in "found no matching overload" messages. */
function typeName(t) {
    switch (t.k) {
        case 'dyn':
        case 'fresh':
            return 'dyn';
        case 'scalar':
            return t.name === 'null_type' ? 'null' : t.name;
        case 'object':
            return OBJECT_NAMES[t.name] ?? t.name;
        case 'list':
            return `list(${typeName(t.elem)})`;
        case 'map':
            return `map(${typeName(t.key)}, ${typeName(t.value)})`;
    }
}
function fromCel(t) {
    switch (t.kind) {
        case 'scalar':
            return t.scalar === 'dyn' ? infer_DYN : scalar(t.scalar);
        case 'object':
            return { k: 'object', name: t.name };
        case 'list':
            return { k: 'list', elem: fromCel(t.element) };
        case 'map':
            return { k: 'map', key: fromCel(t.key), value: fromCel(t.value) };
    }
}
const known = (t) => t.k !== 'dyn' && t.k !== 'fresh';
function same(a, b) {
    return typeName(a) === typeName(b) && a.k === b.k;
}
/** The type both branches share; `fresh` takes the other side's, anything else different is dyn. */
function join(a, b) {
    if (a.k === 'fresh')
        return b;
    if (b.k === 'fresh')
        return a;
    if (a.k === 'list' && b.k === 'list')
        return { k: 'list', elem: join(a.elem, b.elem) };
    if (a.k === 'map' && b.k === 'map')
        return { k: 'map', key: join(a.key, b.key), value: join(a.value, b.value) };
    return same(a, b) ? a : infer_DYN;
}
const isNull = (t) => t.k === 'scalar' && t.name === 'null_type';
/** Whether `==` accepts the two: the same type, element by element; null only beside null or an object. */
function comparable(a, b) {
    if (!known(a) || !known(b))
        return true;
    if (isNull(a) || isNull(b))
        return (isNull(a) || a.k === 'object') && (isNull(b) || b.k === 'object');
    if (a.k === 'list' && b.k === 'list')
        return comparable(a.elem, b.elem);
    if (a.k === 'map' && b.k === 'map')
        return comparable(a.key, b.key) && comparable(a.value, b.value);
    return typeName(a) === typeName(b);
}
function assignable(arg, param) {
    if (!known(arg))
        return true;
    switch (param.kind) {
        case 'scalar':
            return param.scalar === 'dyn' || (arg.k === 'scalar' && arg.name === param.scalar);
        case 'object':
            return arg.k === 'object' && arg.name === param.name;
        case 'list':
            return arg.k === 'list' && assignable(arg.elem, param.element);
        case 'map':
            return arg.k === 'map' && assignable(arg.key, param.key) && assignable(arg.value, param.value);
    }
}
/** Element type of what a comprehension iterates: a list's elements, a map's keys. */
function iterated(t) {
    if (t.k === 'list')
        return t.elem;
    if (t.k === 'map')
        return t.key;
    return infer_DYN;
}
/** The dotted name an expression spells (`a.b.c`), if it is only identifiers and selections. */
function qualifiedName(e) {
    if (!e)
        return undefined;
    if (e.exprKind.case === 'identExpr')
        return e.exprKind.value.name;
    if (e.exprKind.case === 'selectExpr' && !e.exprKind.value.testOnly) {
        const base = qualifiedName(e.exprKind.value.operand);
        return base === undefined ? undefined : `${base}.${e.exprKind.value.field}`;
    }
    return undefined;
}
/**
 * The first arithmetic or equality between types known not to fit, as the checker reports it:
 * `found no matching overload for '_*_' applied to '(int, double)'`.
 */
function overloadProblem(parsed, env, vars) {
    return infer(parsed, env, vars).problem;
}
function infer(parsed, env, vars) {
    const positions = parsed.sourceInfo?.positions;
    let problem;
    const fail = (e, message) => {
        problem ??= { message, offset: positions?.[String(e.id)] };
    };
    const typeOf = (e, scope) => {
        if (!e)
            return infer_DYN;
        const k = e.exprKind;
        switch (k.case) {
            case 'constExpr': {
                const name = CONSTANT_TYPES[k.value.constantKind.case ?? ''];
                return name ? scalar(name) : infer_DYN;
            }
            case 'identExpr':
                return scope.get(k.value.name) ?? infer_DYN;
            case 'selectExpr': {
                if (k.value.testOnly) {
                    typeOf(k.value.operand, scope);
                    return infer_BOOL;
                }
                const name = qualifiedName(e);
                if (name !== undefined && !scope.has(name.split('.')[0]))
                    return infer_DYN;
                const operand = typeOf(k.value.operand, scope);
                return operand.k === 'map' ? operand.value : infer_DYN;
            }
            case 'listExpr': {
                let elem = FRESH;
                for (const x of k.value.elements)
                    elem = join(elem, typeOf(x, scope));
                return { k: 'list', elem };
            }
            case 'structExpr': {
                let key = FRESH;
                let value = FRESH;
                for (const en of k.value.entries) {
                    if (en.keyKind.case === 'mapKey')
                        key = join(key, typeOf(en.keyKind.value, scope));
                    value = join(value, typeOf(en.value, scope));
                }
                return k.value.messageName ? infer_DYN : { k: 'map', key, value };
            }
            case 'comprehensionExpr': {
                const c = k.value;
                const range = typeOf(c.iterRange, scope);
                const inner = new Map(scope);
                inner.set(c.iterVar, iterated(range));
                if (c.iterVar2)
                    inner.set(c.iterVar2, range.k === 'map' ? range.value : infer_DYN);
                // One round of the loop settles the accumulator: `[]` becomes the list its step builds.
                let accu = typeOf(c.accuInit, scope);
                inner.set(c.accuVar, accu);
                typeOf(c.loopCondition, inner);
                accu = join(accu, typeOf(c.loopStep, inner));
                inner.set(c.accuVar, accu);
                return typeOf(c.result, inner);
            }
            case 'callExpr':
                return callType(e, k.value, scope);
            default:
                return infer_DYN;
        }
    };
    const callType = (e, call, scope) => {
        const name = call.target ? qualifiedName(call.target) : undefined;
        const namespacedName = name !== undefined && !scope.has(name.split('.')[0]) ? `${name}.${call.function}` : undefined;
        const namespaced = namespacedName !== undefined && env.funcs.find(namespacedName);
        const target = call.target && !namespaced ? typeOf(call.target, scope) : undefined;
        const args = call.args.map(a => typeOf(a, scope));
        const fn = call.function;
        if (LOGIC.has(fn))
            return infer_BOOL;
        if (fn === '_?_:_')
            return join(args[1], args[2]);
        if (fn === '_[_]') {
            const [on] = args;
            return on.k === 'list' ? on.elem : on.k === 'map' ? on.value : infer_DYN;
        }
        if (fn === OPTIONAL_SELECT || fn === OPTIONAL_INDEX || fn === '_[?_]' || fn === '_?._')
            return infer_DYN;
        if (EQUALITY.has(fn) && args.length === 2) {
            if (!comparable(args[0], args[1]))
                fail(e, noOverload(fn, args));
            return infer_BOOL;
        }
        if (target && ELEMENT_RESULT.has(fn) && args.length === 0 && target.k === 'list')
            return known(target.elem) ? target.elem : infer_DYN;
        if (fn === '_+_' && args.length === 2 && args[0].k === 'list' && args[1].k === 'list')
            return { k: 'list', elem: join(args[0].elem, args[1].elem) };
        const group = (namespaced || undefined) ?? env.funcs.find(fn);
        if (!group)
            return infer_DYN;
        const isMethod = call.target !== undefined && !namespaced;
        const fits = [...group].filter(f => (f.target !== undefined) === isMethod &&
            f.arguments.length === args.length &&
            (!isMethod || !target || assignable(target, f.target)) &&
            f.arguments.every((p, i) => assignable(args[i], p)));
        if (fits.length === 0) {
            if (ARITHMETIC.has(fn) && args.every(known))
                fail(e, noOverload(fn, args));
            return infer_DYN;
        }
        const results = fits.map(f => fromCel(f.result));
        return results.every(r => same(r, results[0])) ? results[0] : infer_DYN;
    };
    const scope = new Map(vars.map(v => [v, infer_DYN]));
    const type = typeOf(parsed.expr, scope);
    return { type, problem };
}
const NUMBERS = new Set(['int', 'uint', 'double']);
function noOverload(fn, args) {
    const names = args.map(typeName);
    const numbers = names.every(n => NUMBERS.has(n));
    return (`found no matching overload for '${fn}' applied to '(${names.join(', ')})'` +
        (numbers ? ': write 2.0 rather than 2, or convert with double(x)' : ''));
}
/** The static type of the whole expression (dyn where it cannot be known). */
function staticTypeOf(parsed, env, vars) {
    return infer(parsed, env, vars).type;
}

// EXTERNAL MODULE: ./node_modules/@bufbuild/re2/dist/esm/index.js + 19 modules
var esm = __webpack_require__(2821);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
;// CONCATENATED MODULE: ./src/cel/regex.ts
/**
 * Kubernetes' regex library for CEL: `s.find(re)` and `s.findAll(re[, n])`, in linear time.
 *
 * Patterns are RE2 (Go's regexp), the same syntax `matches` takes, compiled by @bufbuild/re2, so
 * whatever RE2 rejects (lookaround, backreferences) fails with Go's message. @bufbuild/re2 only
 * says whether a pattern matches, not where, and a JS RegExp backtracks: `(a+)+$` on a long run
 * of `a`s would hold the gate for minutes. So the search is a Pike VM (Go's regexp/exec.go, as
 * leftmost-first) over the program RE2 compiled: every thread advances one character at a time,
 * one thread per instruction, so a search costs at most text length × program size steps.
 */



// Go's syntax.EmptyOp bits, which RE2's EMPTY_WIDTH instructions carry in `arg`.
const BEGIN_LINE = 0x01;
const END_LINE = 0x02;
const BEGIN_TEXT = 0x04;
const END_TEXT = 0x08;
const WORD_BOUNDARY = 0x10;
const NO_WORD_BOUNDARY = 0x20;
const isWordRune = (r) => (r >= 0x30 && r <= 0x39) || (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a) || r === 0x5f;
/** The zero-width assertions that hold between rune r1 and rune r2 (-1: the text's edge). */
function emptyContext(r1, r2) {
    let op = 0;
    if (r1 < 0)
        op |= BEGIN_TEXT | BEGIN_LINE;
    if (r1 === 0x0a)
        op |= BEGIN_LINE;
    if (r2 < 0)
        op |= END_TEXT | END_LINE;
    if (r2 === 0x0a)
        op |= END_LINE;
    op |= isWordRune(r1) !== isWordRune(r2) ? WORD_BOUNDARY : NO_WORD_BOUNDARY;
    return op;
}
const runeAt = (text, i) => i < text.length ? (text.codePointAt(i) ?? -1) : -1;
const widthOf = (r) => (r < 0 ? 0 : r > 0xffff ? 2 : 1);
function runeBefore(text, i) {
    if (i <= 0)
        return -1;
    const low = text.charCodeAt(i - 1);
    if (low >= 0xdc00 && low <= 0xdfff && i >= 2) {
        const cp = text.codePointAt(i - 2) ?? -1;
        if (cp > 0xffff)
            return cp;
    }
    return low;
}
const compiled = new Map();
const CACHE_LIMIT = 256;
/** Compiles an RE2 pattern; throws Go's "error parsing regexp" message for invalid RE2. */
function compileRe2(pattern) {
    const hit = compiled.get(pattern);
    if (hit)
        return hit;
    let re2;
    try {
        re2 = esm/* RE2JS */.L3.compile(pattern).re2();
    }
    catch (err) {
        throw new Error(`Illegal regex: ${(0,errors/* errorMessage */.gJ)(err)}`, { cause: err });
    }
    const prog = re2.prog;
    const ops = prog.getInst(0).constructor;
    const out = { re2, prog, ops };
    if (compiled.size >= CACHE_LIMIT)
        compiled.delete(compiled.keys().next().value);
    compiled.set(pattern, out);
    return out;
}
/**
 * Follows the empty transitions from `pc` and queues the instructions that consume a rune or
 * match, in priority order (an alternation's first branch first), each pc once per step.
 */
function addThread(c, queue, seen, pc0, start, context) {
    const stack = [pc0];
    while (stack.length > 0) {
        const pc = stack.pop();
        if (seen.has(pc))
            continue;
        seen.add(pc);
        const inst = c.prog.getInst(pc);
        switch (inst.op) {
            case c.ops.FAIL:
                break;
            case c.ops.ALT:
            case c.ops.ALT_MATCH:
                stack.push(inst.arg, inst.out);
                break;
            case c.ops.EMPTY_WIDTH:
                if ((inst.arg & ~context) === 0)
                    stack.push(inst.out);
                break;
            case c.ops.NOP:
            case c.ops.CAPTURE:
                stack.push(inst.out);
                break;
            default:
                queue.push({ pc, start });
        }
    }
}
/** The leftmost-first match at or after `pos`, as [start, end) in UTF-16 units, or undefined. */
function searchRe2(c, text, pos) {
    let run = [];
    let next = [];
    let match;
    let i = pos;
    let r = runeAt(text, i);
    let context = emptyContext(runeBefore(text, i), r);
    for (;;) {
        if (run.length === 0 && match)
            break;
        // A new thread starts here, behind every thread already running: leftmost wins.
        if (!match)
            addThread(c, run, new Set(), c.prog.start, i, context);
        if (run.length === 0) {
            if (i >= text.length)
                break;
            i += widthOf(r);
            r = runeAt(text, i);
            context = emptyContext(runeBefore(text, i), r);
            continue;
        }
        const width = widthOf(r);
        const after = runeAt(text, i + width);
        const nextContext = width ? emptyContext(r, after) : 0;
        const seen = new Set();
        next.length = 0;
        for (const t of run) {
            const inst = c.prog.getInst(t.pc);
            if (inst.op === c.ops.MATCH) {
                // First match in priority order: the threads behind it can only lose.
                match = [t.start, i];
                break;
            }
            if (width && inst.matchRune(r))
                addThread(c, next, seen, inst.out, t.start, nextContext);
        }
        if (!width)
            break;
        i += width;
        r = after;
        context = nextContext;
        [run, next] = [next, run];
    }
    return match;
}
/** Go's Regexp.FindAllString: successive non-overlapping matches, no empty match right after a match. */
function findAllMatches(text, pattern, limit = -1) {
    const c = compileRe2(pattern);
    const max = limit < 0 ? text.length + 1 : limit;
    const out = [];
    // The DFA answers "no match at all" fastest.
    if (max === 0 || !c.re2.match(text))
        return out;
    let pos = 0;
    let prevEnd = -1;
    while (out.length < max && pos <= text.length) {
        const m = searchRe2(c, text, pos);
        if (!m)
            break;
        const [start, end] = m;
        let accept = true;
        if (end === pos) {
            if (start === prevEnd)
                accept = false;
            pos += Math.max(1, widthOf(runeAt(text, pos)));
        }
        else
            pos = end;
        prevEnd = end;
        if (accept)
            out.push(text.slice(start, end));
    }
    return out;
}
/** Go's Regexp.FindString: the leftmost match, or '' when there is none. */
function findFirstMatch(text, pattern) {
    const c = compileRe2(pattern);
    if (!c.re2.match(text))
        return '';
    const m = searchRe2(c, text, 0);
    return m ? text.slice(m[0], m[1]) : '';
}
const { STRING: regex_STRING, INT } = type/* CelScalar */.ZR;
/** find / findAll, as Kubernetes declares them (library.Regex). */
const regexLibrary = [
    (0,func/* celMethod */.y)('find', regex_STRING, [regex_STRING], regex_STRING, function (pattern) {
        return findFirstMatch(this, pattern);
    }),
    (0,func/* celMethod */.y)('findAll', regex_STRING, [regex_STRING], (0,type/* listType */.Vc)(regex_STRING), function (pattern) {
        return findAllMatches(this, pattern);
    }),
    (0,func/* celMethod */.y)('findAll', regex_STRING, [regex_STRING, INT], (0,type/* listType */.Vc)(regex_STRING), function (pattern, n) {
        return findAllMatches(this, pattern, Number(n));
    })
];

;// CONCATENATED MODULE: ./src/cel/ast.ts
/**
 * What happens to the parsed expression before it is planned.
 *
 * 1. Optional chains: after `a.?b`, every later `.c` and `[k]` is optional too (cel-go's rule),
 *    so those selections become OPTIONAL_SELECT / OPTIONAL_INDEX calls.
 * 2. Checks a type checker would make and @bufbuild/cel (which exports none) leaves to run time:
 *    undeclared variables, unknown functions, wrong argument counts, regex, duration and timestamp
 *    literals that cannot compile, and list/map literals mixing constant types (Kubernetes turns on
 *    HomogeneousAggregateLiterals), and arithmetic or equality between types known to differ
 *    (infer.ts). Each error carries the position of the offending node.
 */





// Handled by the planner itself, never looked up as functions.
const PLANNER_CALLS = new Set([
    '_&&_',
    '_||_',
    '_?_:_',
    '_[_]',
    '_[?_]',
    '_?._',
    '@not_strictly_false',
    'not_strictly_false'
]);
const TYPE_NAMES = new Set([
    'int',
    'uint',
    'double',
    'bool',
    'string',
    'bytes',
    'list',
    'map',
    'null_type',
    'type'
]);
const REGEX_FUNCTIONS = new Set(['matches', 'find', 'findAll']);
const ast_ARITHMETIC = new Set(['_+_', '_-_', '_*_', '_/_', '_%_']);
const ast_EQUALITY = new Set(['_==_', '_!=_']);
const NUMERIC_KINDS = new Set(['int64Value', 'uint64Value', 'doubleValue']);
const LITERAL_FUNCTIONS = new Set(['duration', 'timestamp']);
function positionOf(parsed, id) {
    const positions = parsed.sourceInfo?.positions;
    return positions?.[String(id)];
}
function producesOptional(e) {
    if (!e || e.exprKind.case !== 'callExpr')
        return false;
    const call = e.exprKind.value;
    const qualified = call.target ? qualifiedName(call.target) : undefined;
    if (qualified !== undefined && OPTIONAL_PRODUCERS.has(`${qualified}.${call.function}`))
        return true;
    return (call.target !== undefined && (OPTIONAL_PRODUCERS.has(call.function) || call.function === 'or'));
}
function children(e) {
    const k = e.exprKind;
    switch (k.case) {
        case 'selectExpr':
            return k.value.operand ? [k.value.operand] : [];
        case 'callExpr':
            return [...(k.value.target ? [k.value.target] : []), ...k.value.args];
        case 'listExpr':
            return k.value.elements;
        case 'structExpr':
            return k.value.entries.flatMap(en => [
                ...(en.keyKind.case === 'mapKey' ? [en.keyKind.value] : []),
                ...(en.value ? [en.value] : [])
            ]);
        case 'comprehensionExpr': {
            const c = k.value;
            return [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result].filter((x) => x !== undefined);
        }
        default:
            return [];
    }
}
/** Rewrites selections and indexes that follow an optional access into optional ones (in place). */
function propagateOptionals(parsed) {
    const positions = (parsed.sourceInfo?.positions ?? {});
    let nextId = 0n;
    const visitIds = (e) => {
        if (e.id >= nextId)
            nextId = e.id + 1n;
        children(e).forEach(visitIds);
    };
    visitIds(parsed.expr);
    const call = (node, target, fn, arg) => {
        const value = {
            $typeName: 'cel.expr.Expr.Call',
            target,
            function: fn,
            args: [arg]
        };
        node.exprKind = { case: 'callExpr', value };
    };
    const visit = (e) => {
        children(e).forEach(visit);
        const k = e.exprKind;
        if (k.case === 'selectExpr' &&
            !k.value.testOnly &&
            k.value.operand &&
            producesOptional(k.value.operand)) {
            const id = nextId++;
            const pos = positions[String(e.id)];
            if (pos !== undefined)
                positions[String(id)] = pos;
            const constant = {
                $typeName: 'cel.expr.Constant',
                constantKind: { case: 'stringValue', value: k.value.field }
            };
            const field = {
                $typeName: 'cel.expr.Expr',
                id,
                exprKind: { case: 'constExpr', value: constant }
            };
            call(e, k.value.operand, OPTIONAL_SELECT, field);
        }
        else if (k.case === 'callExpr' &&
            k.value.function === '_[_]' &&
            !k.value.target &&
            producesOptional(k.value.args[0])) {
            call(e, k.value.args[0], OPTIONAL_INDEX, k.value.args[1]);
        }
    };
    visit(parsed.expr);
}
function constantKind(e) {
    return e.exprKind.case === 'constExpr' ? e.exprKind.value.constantKind.case : undefined;
}
function constantString(e) {
    if (!e || e.exprKind.case !== 'constExpr')
        return undefined;
    const c = e.exprKind.value.constantKind;
    return c.case === 'stringValue' ? c.value : undefined;
}
const KIND_NAMES = {
    int64Value: 'int',
    uint64Value: 'uint',
    doubleValue: 'double',
    stringValue: 'string',
    boolValue: 'bool',
    bytesValue: 'bytes',
    nullValue: 'null'
};
function mixedConstants(items) {
    const kinds = [...new Set(items.map(constantKind).filter((k) => k !== undefined))];
    if (kinds.length < 2)
        return undefined;
    return kinds.map(k => KIND_NAMES[k] ?? k).join(' and ');
}
/** Finds what a type checker would reject; returns the first problem, or undefined. */
function checkExpression(parsed, env, vars, mixedArithmetic = true) {
    const problem = (e, message) => ({
        message,
        offset: positionOf(parsed, e.id)
    });
    const checkCall = (e, call, scope) => {
        if (PLANNER_CALLS.has(call.function))
            return undefined;
        if (call.args.length === 2 && (ast_EQUALITY.has(call.function) || ast_ARITHMETIC.has(call.function))) {
            // What Kubernetes' checker sees even without a schema: two literals of different types.
            // Equality is heterogeneous only at run time (`dyn(1) == 1.0` is true, `1 == 1.0` does not compile);
            // arithmetic mixes only numbers, and only with mixedArithmetic (`1 + "a"` never compiles).
            const [a, b] = call.args.map(constantKind);
            const numbers = a !== undefined && b !== undefined && NUMERIC_KINDS.has(a) && NUMERIC_KINDS.has(b);
            const allowed = ast_ARITHMETIC.has(call.function) && numbers && mixedArithmetic;
            if (a && b && a !== b && a !== 'nullValue' && b !== 'nullValue' && !allowed) {
                return problem(e, `found no matching overload for '${call.function}' applied to '(${KIND_NAMES[a]}, ${KIND_NAMES[b]})'` +
                    (numbers ? ': write 2.0 rather than 2, or convert with double(x)' : ''));
            }
        }
        const qualified = call.target ? qualifiedName(call.target) : undefined;
        const namespaced = qualified !== undefined && !scope.has(qualified.split('.')[0])
            ? `${qualified}.${call.function}`
            : undefined;
        const group = (namespaced && env.funcs.find(namespaced)) || env.funcs.find(call.function);
        if (!group && call.function === 'has' && !call.target) {
            return problem(e, 'has() takes a field selection, e.g. has(object.spec.replicas)');
        }
        if (!group)
            return problem(e, `unknown function '${namespaced ?? call.function}'`);
        const isMethod = call.target !== undefined && group.name === call.function;
        const overloads = [...group].filter(f => (f.target !== undefined) === isMethod && f.arguments.length === call.args.length);
        if (overloads.length === 0) {
            const shape = isMethod
                ? `a method taking ${call.args.length}`
                : `a function taking ${call.args.length}`;
            return problem(e, `'${group.name}' is not ${shape} argument${call.args.length === 1 ? '' : 's'}`);
        }
        if (REGEX_FUNCTIONS.has(call.function)) {
            const patternArg = isMethod ? call.args[0] : call.args[1];
            const pattern = constantString(patternArg);
            if (pattern !== undefined && patternArg) {
                try {
                    compileRe2(pattern);
                }
                catch (err) {
                    return problem(patternArg, (0,errors/* errorMessage */.gJ)(err));
                }
            }
        }
        if (!isMethod && LITERAL_FUNCTIONS.has(call.function) && call.args.length === 1) {
            const literal = constantString(call.args[0]);
            if (literal !== undefined) {
                // Through run(), because @bufbuild/cel functions need an evaluation context.
                const result = (0,run/* run */.e)(`${call.function}(literal)`, { literal });
                if ((0,error/* isCelError */.Jr)(result))
                    return problem(call.args[0], `invalid ${call.function} literal '${literal}': ${result.message}`);
            }
        }
        return undefined;
    };
    const visit = (e, scope) => {
        const k = e.exprKind;
        switch (k.case) {
            case 'identExpr':
                if (scope.has(k.value.name) || TYPE_NAMES.has(k.value.name))
                    return undefined;
                return problem(e, `undeclared reference to '${k.value.name}'${vars.length ? ` (variables: ${vars.join(', ')})` : ''}`);
            case 'callExpr': {
                const own = checkCall(e, k.value, scope);
                if (own)
                    return own;
                // A namespaced call's target (`sets` in sets.contains) is a name, not a variable.
                const qualified = k.value.target ? qualifiedName(k.value.target) : undefined;
                const namespaced = qualified !== undefined &&
                    !scope.has(qualified.split('.')[0]) &&
                    env.funcs.find(`${qualified}.${k.value.function}`);
                const parts = namespaced ? k.value.args : children(e);
                for (const child of parts) {
                    const found = visit(child, scope);
                    if (found)
                        return found;
                }
                return undefined;
            }
            case 'comprehensionExpr': {
                const c = k.value;
                const inner = new Set([...scope, c.iterVar, c.accuVar, ...(c.iterVar2 ? [c.iterVar2] : [])]);
                for (const [child, s] of [
                    [c.iterRange, scope],
                    [c.accuInit, scope],
                    [c.loopCondition, inner],
                    [c.loopStep, inner],
                    [c.result, inner]
                ]) {
                    const found = child && visit(child, s);
                    if (found)
                        return found;
                }
                return undefined;
            }
            case 'listExpr': {
                const mixed = mixedConstants(k.value.elements);
                if (mixed)
                    return problem(e, `a list literal must not mix ${mixed} elements (Kubernetes rejects it)`);
                break;
            }
            case 'structExpr': {
                if (k.value.messageName !== '')
                    return problem(e, `creating a '${k.value.messageName}' object is not supported`);
                const keys = k.value.entries.flatMap(en => en.keyKind.case === 'mapKey' ? [en.keyKind.value] : []);
                const values = k.value.entries.flatMap(en => (en.value ? [en.value] : []));
                const mixed = mixedConstants(keys) ?? mixedConstants(values);
                if (mixed)
                    return problem(e, `a map literal must not mix ${mixed} keys or values (Kubernetes rejects it)`);
                break;
            }
        }
        for (const child of children(e)) {
            const found = visit(child, scope);
            if (found)
                return found;
        }
        return undefined;
    };
    return visit(parsed.expr, new Set(vars)) ?? overloadProblem(parsed, env, vars);
}
/** Ids of identifier nodes and their names, to name an unbound variable in a runtime error. */
function identifierNames(parsed) {
    const out = new Map();
    const visit = (e) => {
        if (e.exprKind.case === 'identExpr')
            out.set(e.id, e.exprKind.value.name);
        children(e).forEach(visit);
    };
    visit(parsed.expr);
    return out;
}
/** The offset (in the parsed text) of a node, from the parser's position table. */
function nodeOffset(parsed, id) {
    return id === undefined ? undefined : positionOf(parsed, id);
}

// EXTERNAL MODULE: ./src/cel/cel-error.ts
var cel_error = __webpack_require__(4687);
;// CONCATENATED MODULE: ./src/cel/lists.ts
/**
 * Kubernetes' list library (library.Lists: isSorted, sum, min, max, indexOf, lastIndexOf) and
 * cel-go's sets extension (sets.contains, sets.equivalent, sets.intersects), both in the
 * Kubernetes base environment. Equality, ordering and addition are CEL's own `==`, `<` and `+`,
 * taken from a plain @bufbuild/cel environment, so cross-type numbers and overflow behave as in CEL.
 */

const standard = (0,env/* celEnv */.U)().funcs;
function callStandard(name, a, b) {
    const result = standard.find(name)?.call(0, undefined, [a, b]);
    if (result === undefined)
        throw new Error(`found no matching overload for '${name}'`);
    if ((0,error/* isCelError */.Jr)(result))
        throw result;
    return result;
}
const equals = (a, b) => callStandard('_==_', a, b) === true;
const less = (a, b) => callStandard('_<_', a, b) === true;
function extreme(list, name, better) {
    let best;
    for (const v of list)
        if (best === undefined || better(v, best))
            best = v;
    if (best === undefined)
        throw new Error(`${name} called on empty list`);
    return best;
}
function indexOf(list, x, last) {
    let found = -1;
    let i = 0;
    for (const v of list) {
        if (equals(v, x)) {
            found = i;
            if (!last)
                break;
        }
        i++;
    }
    return BigInt(found);
}
function containsAll(list, sub) {
    const items = [...list];
    for (const x of sub)
        if (!items.some(v => equals(v, x)))
            return false;
    return true;
}
const LIST = (0,type/* listType */.Vc)(type/* CelScalar */.ZR.DYN);
const { DYN: lists_DYN, BOOL: lists_BOOL, INT: lists_INT } = type/* CelScalar */.ZR;
/** The list and sets functions. */
const listsLibrary = [
    (0,func/* celMethod */.y)('isSorted', LIST, [], lists_BOOL, function () {
        let prev;
        for (const v of this) {
            if (prev !== undefined && less(v, prev))
                return false;
            prev = v;
        }
        return true;
    }),
    (0,func/* celMethod */.y)('sum', LIST, [], lists_DYN, function () {
        let total;
        for (const v of this)
            total = total === undefined ? v : callStandard('_+_', total, v);
        return total ?? 0n;
    }),
    (0,func/* celMethod */.y)('min', LIST, [], lists_DYN, function () {
        return extreme(this, 'min', less);
    }),
    (0,func/* celMethod */.y)('max', LIST, [], lists_DYN, function () {
        return extreme(this, 'max', (a, b) => less(b, a));
    }),
    (0,func/* celMethod */.y)('indexOf', LIST, [lists_DYN], lists_INT, function (x) {
        return indexOf(this, x, false);
    }),
    (0,func/* celMethod */.y)('lastIndexOf', LIST, [lists_DYN], lists_INT, function (x) {
        return indexOf(this, x, true);
    }),
    (0,func/* celFunc */.V)('sets.contains', [LIST, LIST], lists_BOOL, (list, sub) => containsAll(list, sub)),
    (0,func/* celFunc */.V)('sets.equivalent', [LIST, LIST], lists_BOOL, (a, b) => containsAll(a, b) && containsAll(b, a)),
    (0,func/* celFunc */.V)('sets.intersects', [LIST, LIST], lists_BOOL, (a, b) => {
        const items = [...a];
        for (const x of b)
            if (items.some(v => equals(v, x)))
                return true;
        return false;
    })
];

;// CONCATENATED MODULE: ./src/cel/numbers.ts
/**
 * Mixed int/double arithmetic.
 *
 * CEL has no implicit conversion between int and double for + - * /. Kubernetes gets away with
 * that because its schemas say which fields are int; our values come from JSON and Prometheus,
 * where 0 errors per second arrives as an integer-valued number and so as an `int`, and
 * `value > 2.0 * baseline` would then fail with "no matching overload" exactly when the canary
 * is healthiest. These overloads compute such mixes as doubles. Comparisons need nothing: CEL
 * (and @bufbuild/cel) already compare int, uint and double across types.
 *
 * This is the one place we accept more than Kubernetes: `object.spec.replicas * 0.5` works here and
 * is a compile error in a ValidatingAdmissionPolicy. Compile with `mixedArithmetic: false` to get
 * the Kubernetes behaviour.
 */

const { INT: numbers_INT, DOUBLE } = type/* CelScalar */.ZR;
const OPERATORS = {
    '_+_': (a, b) => a + b,
    '_-_': (a, b) => a - b,
    '_*_': (a, b) => a * b,
    '_/_': (a, b) => a / b
};
/** The `(int, double)` and `(double, int)` overloads of + - * /, computed as doubles. */
const mixedArithmetic = Object.entries(OPERATORS).flatMap(([name, op]) => [
    (0,func/* celFunc */.V)(name, [numbers_INT, DOUBLE], DOUBLE, (a, b) => op(Number(a), b)),
    (0,func/* celFunc */.V)(name, [DOUBLE, numbers_INT], DOUBLE, (a, b) => op(a, Number(b)))
]);

;// CONCATENATED MODULE: ./src/cel/ip.ts
/**
 * Kubernetes' IP and CIDR libraries for CEL (library.IP, library.CIDR, Kubernetes 1.30+):
 * `ip(s)`, `isIP(s)`, `ip.isCanonical(s)`, `cidr(s)`, `isCIDR(s)`, `string(x)` and their methods.
 * Parsing follows Go's net/netip as Kubernetes uses it: no zones, no IPv4-mapped IPv6 addresses,
 * no leading zeros in IPv4 octets; the canonical form is netip's (RFC 5952 for IPv6).
 */


const width = (ip) => (ip.family === 4 ? 32 : 128);
function parseIPv4(s) {
    const octets = s.split('.');
    if (octets.length !== 4)
        return undefined;
    let out = 0n;
    for (const o of octets) {
        if (!/^\d{1,3}$/.test(o) || (o.length > 1 && o[0] === '0') || Number(o) > 255)
            return undefined;
        out = (out << 8n) | BigInt(o);
    }
    return out;
}
function parseIPv6(s) {
    let text = s;
    const tail = [];
    const lastColon = text.lastIndexOf(':');
    const last = text.slice(lastColon + 1);
    if (last.includes('.')) {
        // An embedded IPv4 address is the last two groups.
        const v4 = parseIPv4(last);
        if (v4 === undefined)
            return undefined;
        tail.push(v4 >> 16n, v4 & 0xffffn);
        text = text.slice(0, lastColon + 1);
        if (!text.endsWith('::'))
            text = text.slice(0, -1);
    }
    const halves = text.split('::');
    if (halves.length > 2)
        return undefined;
    const groups = (part) => (part === '' ? [] : part.split(':'));
    const head = groups(halves[0]);
    const rest = halves.length === 2 ? groups(halves[1]) : [];
    if ([...head, ...rest].some(g => !/^[0-9A-Fa-f]{1,4}$/.test(g)))
        return undefined;
    const given = head.length + rest.length + tail.length;
    if (halves.length === 1 ? given !== 8 : given > 7)
        return undefined;
    const all = [
        ...head.map(g => BigInt(parseInt(g, 16))),
        ...Array(8 - given).fill(0n),
        ...rest.map(g => BigInt(parseInt(g, 16))),
        ...tail
    ];
    return all.reduce((acc, g) => (acc << 16n) | g, 0n);
}
const is4In6 = (ip) => ip.family === 6 && ip.bits >> 32n === 0xffffn;
/** Parses an IP address as Kubernetes does; throws its messages. */
function parseIp(raw) {
    if (raw.includes('%'))
        throw new Error(`IP address "${raw}" with zone value is not allowed`);
    const v4 = raw.includes(':') ? undefined : parseIPv4(raw);
    const ip = v4 !== undefined ? { family: 4, bits: v4 } : raw.includes(':') ? bits6(raw) : undefined;
    if (!ip)
        throw new Error(`IP Address "${raw}" parse error during conversion from string: ParseAddr("${raw}"): unable to parse IP`);
    if (is4In6(ip))
        throw new Error(`IPv4-mapped IPv6 address "${raw}" is not allowed`);
    return ip;
}
function bits6(raw) {
    const bits = parseIPv6(raw);
    return bits === undefined ? undefined : { family: 6, bits };
}
/** netip's canonical text: dotted IPv4, RFC 5952 IPv6. */
function formatIp(ip) {
    if (ip.family === 4)
        return [24n, 16n, 8n, 0n].map(s => String((ip.bits >> s) & 0xffn)).join('.');
    const groups = Array.from({ length: 8 }, (_, i) => Number((ip.bits >> BigInt(112 - 16 * i)) & 0xffffn));
    let bestStart = -1;
    let bestLen = 0;
    for (let i = 0; i < 8;) {
        if (groups[i] !== 0) {
            i++;
            continue;
        }
        let j = i;
        while (j < 8 && groups[j] === 0)
            j++;
        if (j - i > bestLen && j - i >= 2) {
            bestStart = i;
            bestLen = j - i;
        }
        i = j;
    }
    const hex = groups.map(g => g.toString(16));
    if (bestStart < 0)
        return hex.join(':');
    return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
function inPrefix(ip, net, prefix, family) {
    if (ip.family !== family)
        return false;
    const shift = BigInt(width(ip) - prefix);
    return ip.bits >> shift === net >> shift;
}
const isLoopback = (ip) => ip.family === 4 ? inPrefix(ip, 127n << 24n, 8, 4) : ip.bits === 1n;
const isMulticast = (ip) => ip.family === 4 ? inPrefix(ip, 224n << 24n, 4, 4) : inPrefix(ip, 0xffn << 120n, 8, 6);
const isLinkLocalUnicast = (ip) => ip.family === 4
    ? inPrefix(ip, (169n << 24n) | (254n << 16n), 16, 4)
    : inPrefix(ip, 0xfe80n << 112n, 10, 6);
const isLinkLocalMulticast = (ip) => ip.family === 4 ? inPrefix(ip, 224n << 24n, 24, 4) : ((ip.bits >> 112n) & 0xff0fn) === 0xff02n;
const isGlobalUnicast = (ip) => {
    if (ip.family === 4 && (ip.bits === 0n || ip.bits === 0xffffffffn))
        return false;
    return ip.bits !== 0n && !isLoopback(ip) && !isMulticast(ip) && !isLinkLocalUnicast(ip);
};
/** Parses a CIDR as Kubernetes does; throws its messages. */
function parseCidr(raw) {
    const fail = (why) => {
        throw new Error(`network address parse error during conversion from string: netip.ParsePrefix("${raw}"): ${why}`);
    };
    const slash = raw.lastIndexOf('/');
    if (slash < 0)
        fail("no '/'");
    const addrText = raw.slice(0, slash);
    if (addrText.includes('%'))
        fail('IPv6 zones cannot be present in a prefix');
    const bitsText = raw.slice(slash + 1);
    let addr;
    const v4 = addrText.includes(':') ? undefined : parseIPv4(addrText);
    if (v4 !== undefined)
        addr = { family: 4, bits: v4 };
    else if (addrText.includes(':'))
        addr = bits6(addrText);
    if (!addr)
        return fail(`ParseAddr("${addrText}"): unable to parse IP`);
    if (!/^(0|[1-9]\d*)$/.test(bitsText) || Number(bitsText) > width(addr))
        fail(`bad bits after slash: "${bitsText}"`);
    if (is4In6(addr))
        throw new Error(`IPv4-mapped IPv6 address "${raw}" is not allowed`);
    return { addr, prefix: Number(bitsText) };
}
function masked(c) {
    const shift = BigInt(width(c.addr) - c.prefix);
    return {
        addr: { family: c.addr.family, bits: (c.addr.bits >> shift) << shift },
        prefix: c.prefix
    };
}
const ipKey = (ip) => `${ip.family}:${ip.bits}`;
const ipValue = (ip) => (0,object_types/* wrapObject */.Ys)('ip', ipKey(ip), ip, formatIp(ip));
const cidrText = (c) => `${formatIp(c.addr)}/${c.prefix}`;
const cidrValue = (c) => (0,object_types/* wrapObject */.Ys)('cidr', `${ipKey(c.addr)}/${c.prefix}`, c, cidrText(c));
const succeeds = (parse) => {
    try {
        parse();
        return true;
    }
    catch {
        return false;
    }
};
const IP = object_types/* OBJECT_TYPES */.iQ.ip;
const CIDR = object_types/* OBJECT_TYPES */.iQ.cidr;
const { STRING: ip_STRING, BOOL: ip_BOOL, INT: ip_INT } = type/* CelScalar */.ZR;
const getIp = (v) => (0,object_types/* unwrapObject */.Rs)('ip', v);
const getCidr = (v) => (0,object_types/* unwrapObject */.Rs)('cidr', v);
function containsCidr(outer, inner) {
    return (outer.prefix <= inner.prefix &&
        inPrefix(inner.addr, outer.addr.bits, outer.prefix, outer.addr.family));
}
/** The ip and cidr functions, as Kubernetes declares them. */
const ipLibrary = [
    (0,func/* celFunc */.V)('ip', [ip_STRING], IP, s => ipValue(parseIp(s))),
    (0,func/* celFunc */.V)('isIP', [ip_STRING], ip_BOOL, s => succeeds(() => parseIp(s))),
    (0,func/* celFunc */.V)('ip.isCanonical', [ip_STRING], ip_BOOL, s => formatIp(parseIp(s)) === s),
    (0,func/* celFunc */.V)('string', [IP], ip_STRING, ip => formatIp(getIp(ip))),
    (0,func/* celMethod */.y)('family', IP, [], ip_INT, function () {
        return BigInt(getIp(this).family);
    }),
    (0,func/* celMethod */.y)('isUnspecified', IP, [], ip_BOOL, function () {
        return getIp(this).bits === 0n;
    }),
    (0,func/* celMethod */.y)('isLoopback', IP, [], ip_BOOL, function () {
        return isLoopback(getIp(this));
    }),
    (0,func/* celMethod */.y)('isLinkLocalMulticast', IP, [], ip_BOOL, function () {
        return isLinkLocalMulticast(getIp(this));
    }),
    (0,func/* celMethod */.y)('isLinkLocalUnicast', IP, [], ip_BOOL, function () {
        return isLinkLocalUnicast(getIp(this));
    }),
    (0,func/* celMethod */.y)('isGlobalUnicast', IP, [], ip_BOOL, function () {
        return isGlobalUnicast(getIp(this));
    }),
    (0,func/* celFunc */.V)('cidr', [ip_STRING], CIDR, s => cidrValue(parseCidr(s))),
    (0,func/* celFunc */.V)('isCIDR', [ip_STRING], ip_BOOL, s => succeeds(() => parseCidr(s))),
    (0,func/* celFunc */.V)('string', [CIDR], ip_STRING, c => cidrText(getCidr(c))),
    (0,func/* celMethod */.y)('containsIP', CIDR, [IP], ip_BOOL, function (ip) {
        const c = getCidr(this);
        return inPrefix(getIp(ip), c.addr.bits, c.prefix, c.addr.family);
    }),
    (0,func/* celMethod */.y)('containsIP', CIDR, [ip_STRING], ip_BOOL, function (s) {
        const c = getCidr(this);
        return inPrefix(parseIp(s), c.addr.bits, c.prefix, c.addr.family);
    }),
    (0,func/* celMethod */.y)('containsCIDR', CIDR, [CIDR], ip_BOOL, function (other) {
        return containsCidr(getCidr(this), getCidr(other));
    }),
    (0,func/* celMethod */.y)('containsCIDR', CIDR, [ip_STRING], ip_BOOL, function (s) {
        return containsCidr(getCidr(this), parseCidr(s));
    }),
    (0,func/* celMethod */.y)('ip', CIDR, [], IP, function () {
        return ipValue(getCidr(this).addr);
    }),
    (0,func/* celMethod */.y)('masked', CIDR, [], CIDR, function () {
        return cidrValue(masked(getCidr(this)));
    }),
    (0,func/* celMethod */.y)('prefixLength', CIDR, [], ip_INT, function () {
        return BigInt(getCidr(this).prefix);
    })
];

;// CONCATENATED MODULE: ./src/cel/preprocess.ts
/**
 * A pass over the expression text before @bufbuild/cel parses it.
 *
 * 1. Plain syntax errors with exact positions. The PEG parser reports where its longest parse
 *    stopped ("1:3: found + but expecting end of input" for `1 +`), which points at the wrong
 *    place with the wrong words; unbalanced brackets, unterminated strings, `=` for `==`, `and`
 *    for `&&` and missing operands are found here first, with what to write instead.
 * 2. Optional access, which the parser does not know: `a.?b` becomes `a.__opt_select__("b")` and
 *    `a[?k]` becomes `a.__opt_index__(k)` (see optional.ts). A map from output offsets back to the
 *    user's text keeps every later error position in their coordinates.
 */


const TWO_CHAR = new Set(['==', '!=', '<=', '>=', '&&', '||']);
const ONE_CHAR = new Set([...'+-*/%<>!?:.,()[]{}']);
const BINARY_ONLY = new Set([
    '==',
    '!=',
    '<',
    '<=',
    '>',
    '>=',
    '&&',
    '||',
    '*',
    '/',
    '%',
    '+',
    '?',
    ':',
    'in'
]);
const OPENERS = { '(': ')', '[': ']', '{': '}' };
const CLOSERS = new Set([')', ']', '}']);
const WORD_OPERATORS = { and: '&&', or: '||' };
const isIdentStart = (c) => c !== undefined && /[A-Za-z_]/.test(c);
const isIdentPart = (c) => c !== undefined && /[A-Za-z0-9_]/.test(c);
const isDigit = (c) => c !== undefined && c >= '0' && c <= '9';
function tokenize(src) {
    const fail = (message, at) => {
        throw new cel_error/* CelError */.P(message, 'syntax', src, at);
    };
    const tokens = [];
    let i = 0;
    while (i < src.length) {
        const c = src[i];
        if (/\s/.test(c)) {
            i++;
            continue;
        }
        if (src.startsWith('//', i)) {
            while (i < src.length && src[i] !== '\n')
                i++;
            continue;
        }
        const start = i;
        const prefix = /^(?:[rR][bB]?|[bB][rR]?)?(?="|')/.exec(src.slice(i));
        if (prefix) {
            const raw = /r/i.test(prefix[0]);
            i += prefix[0].length;
            const quote = src.startsWith(src[i].repeat(3), i) ? src[i].repeat(3) : src[i];
            i += quote.length;
            for (;;) {
                if (i >= src.length || (quote.length === 1 && src[i] === '\n'))
                    fail('this string is never closed', start);
                if (!raw && src[i] === '\\')
                    i += 2;
                else if (src.startsWith(quote, i))
                    break;
                else
                    i++;
            }
            i += quote.length;
            tokens.push({ kind: 'string', text: src.slice(start, i), start, end: i });
            continue;
        }
        const prev = tokens[tokens.length - 1];
        const afterValue = prev !== undefined && endsValue(prev);
        if (isDigit(c) || (c === '.' && isDigit(src[i + 1]) && !afterValue)) {
            const number = /^(?:0[xX][0-9a-fA-F]+[uU]?|\d*\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+[uU]?)/.exec(src.slice(i));
            i += number ? number[0].length : 1;
            tokens.push({ kind: 'number', text: src.slice(start, i), start, end: i });
            continue;
        }
        if (isIdentStart(c)) {
            while (isIdentPart(src[i]))
                i++;
            tokens.push({ kind: 'ident', text: src.slice(start, i), start, end: i });
            continue;
        }
        const two = src.slice(i, i + 2);
        if (TWO_CHAR.has(two)) {
            tokens.push({ kind: 'punct', text: two, start, end: i + 2 });
            i += 2;
            continue;
        }
        if (c === '=')
            fail("'=' is not an operator: write '==' to compare", start);
        if (c === '&')
            fail("'&' is not an operator: write '&&'", start);
        if (c === '|')
            fail("'|' is not an operator: write '||'", start);
        if (!ONE_CHAR.has(c))
            fail(`unexpected character '${c}'`, start);
        tokens.push({ kind: 'punct', text: c, start, end: i + 1 });
        i++;
    }
    return tokens;
}
function endsValue(t) {
    if (t.kind === 'punct')
        return CLOSERS.has(t.text);
    return !(t.kind === 'ident' && t.text === 'in');
}
function startsValue(t) {
    if (t.kind === 'punct')
        return t.text in OPENERS || t.text === '-' || t.text === '!' || t.text === '.';
    return !(t.kind === 'ident' && t.text === 'in');
}
const isOperator = (t) => BINARY_ONLY.has(t.text) || (t.kind === 'punct' && (t.text === '-' || t.text === '!'));
const isBinaryOnly = (t) => BINARY_ONLY.has(t.text) && (t.kind === 'punct' || t.text === 'in');
/** Checks the expression's shape and rewrites optional access; throws CelError with the position. */
function preprocess(source) {
    if (source.trim() === '')
        throw new cel_error/* CelError */.P('the expression is empty', 'syntax', source, 0);
    const tokens = tokenize(source);
    const fail = (message, at) => {
        throw new cel_error/* CelError */.P(message, 'syntax', source, at);
    };
    let text = '';
    const origin = [];
    let copied = 0;
    const copyUpTo = (end) => {
        for (; copied < end; copied++) {
            text += source[copied];
            origin.push(copied);
        }
    };
    const replace = (from, to, replacement) => {
        copyUpTo(from);
        text += replacement;
        for (let k = 0; k < replacement.length; k++)
            origin.push(from);
        copied = to;
    };
    const stack = [];
    for (let k = 0; k < tokens.length; k++) {
        const t = tokens[k];
        const prev = tokens[k - 1];
        const next = tokens[k + 1];
        if (t.kind === 'ident' &&
            t.text in WORD_OPERATORS &&
            prev &&
            endsValue(prev) &&
            next &&
            startsValue(next)) {
            fail(`'${t.text}' is not an operator: write '${WORD_OPERATORS[t.text]}'`, t.start);
        }
        if (t.text === '.' && t.kind === 'punct') {
            if (next?.text === '?' && next.kind === 'punct') {
                const field = tokens[k + 2];
                if (!field || field.kind !== 'ident')
                    fail("expected a field name after '.?'", next.start);
                replace(t.start, field.end, `.${OPTIONAL_SELECT}(${JSON.stringify(field.text)})`);
                k += 2;
                continue;
            }
            if (!next || next.kind !== 'ident')
                fail("expected a field name after '.'", t.start);
            continue;
        }
        if (t.text === '?' &&
            t.kind === 'punct' &&
            prev &&
            prev.kind === 'punct' &&
            ['[', '{', ','].includes(prev.text)) {
            fail('optional list and map entries ([?x], {?k: v}) are not supported: build the list or map with a conditional instead', t.start);
        }
        if (t.kind === 'punct' && t.text in OPENERS) {
            if (t.text === '[' &&
                next?.text === '?' &&
                next.kind === 'punct' &&
                prev &&
                endsValue(prev)) {
                replace(t.start, next.end, `.${OPTIONAL_INDEX}(`);
                stack.push({ token: t, closeAs: ')' });
                k++;
                continue;
            }
            stack.push({ token: t });
            continue;
        }
        if (t.kind === 'punct' && CLOSERS.has(t.text)) {
            const open = stack.pop();
            if (!open)
                fail(`'${t.text}' has no matching opening bracket`, t.start);
            else if (OPENERS[open.token.text] !== t.text) {
                fail(`'${t.text}' does not close the '${open.token.text}' opened before it`, t.start);
            }
            else if (open.closeAs)
                replace(t.start, t.end, open.closeAs);
            if (prev && isOperator(prev))
                fail(`missing operand after '${prev.text}'`, prev.start);
            continue;
        }
        if (t.kind === 'punct' && t.text === ',' && (!prev || !endsValue(prev)))
            fail("unexpected ','", t.start);
        if (isBinaryOnly(t) && (!prev || !endsValue(prev)))
            fail(`missing operand before '${t.text}'`, t.start);
        if (isOperator(t) && (!next || !startsValue(next)))
            fail(`missing operand after '${t.text}'`, t.start);
    }
    const unclosed = stack.pop();
    if (unclosed)
        fail(`'${unclosed.token.text}' is never closed`, unclosed.token.start);
    copyUpTo(source.length);
    origin.push(source.length);
    return {
        text,
        toOriginal: offset => origin[Math.max(0, Math.min(offset, origin.length - 1))]
    };
}

// EXTERNAL MODULE: ./src/cel/quantity.ts
var quantity = __webpack_require__(1223);
;// CONCATENATED MODULE: ./src/cel/semver.ts
/**
 * Kubernetes' semver library for CEL: `semver(s[, normalize])`, `isSemver(s[, normalize])` and the
 * Semver methods. Parsing and ordering follow github.com/blang/semver/v4, which Kubernetes uses
 * (strict SemVer 2.0.0: no `v`, no leading zeros, build metadata ignored when comparing).
 */


const semver_NUMBERS = /^[0-9]+$/;
const ALPHANUM = /^[0-9A-Za-z-]+$/;
const UINT64_MAX = 2n ** 64n - 1n;
function parseNumber(part, what) {
    if (!semver_NUMBERS.test(part))
        throw new Error(`Invalid character(s) found in ${what} number "${part}"`);
    if (part.length > 1 && part[0] === '0')
        throw new Error(`${capitalize(what)} number must not contain leading zeroes "${part}"`);
    const n = BigInt(part);
    if (n > UINT64_MAX)
        throw new Error(`${capitalize(what)} number "${part}" is out of range`);
    return n;
}
const capitalize = (s) => s[0].toUpperCase() + s.slice(1);
function parsePre(part) {
    if (part === '')
        throw new Error('Prerelease is empty');
    if (semver_NUMBERS.test(part)) {
        if (part.length > 1 && part[0] === '0')
            throw new Error(`Numeric PreRelease version must not contain leading zeroes "${part}"`);
        return BigInt(part);
    }
    if (!ALPHANUM.test(part))
        throw new Error(`Invalid character(s) found in prerelease "${part}"`);
    return part;
}
/** blang/semver's Parse: strict MAJOR.MINOR.PATCH[-PRE][+BUILD]. */
function parseSemver(s) {
    if (s === '')
        throw new Error('Version string empty');
    const parts = splitN(s, '.', 3);
    if (parts.length !== 3)
        throw new Error('No Major.Minor.Patch elements found');
    const major = parseNumber(parts[0], 'major');
    const minor = parseNumber(parts[1], 'minor');
    let rest = parts[2];
    const preIndex = rest.indexOf('-');
    const buildIndex = rest.indexOf('+');
    const cut = [preIndex, buildIndex].filter(i => i >= 0);
    const subVersion = cut.length ? Math.min(...cut) : rest.length;
    const patch = parseNumber(rest.slice(0, subVersion), 'patch');
    rest = rest.slice(subVersion);
    let build = [];
    const plus = rest.indexOf('+');
    if (plus >= 0) {
        build = rest.slice(plus + 1).split('.');
        rest = rest.slice(0, plus);
    }
    const pre = rest.startsWith('-') ? rest.slice(1).split('.').map(parsePre) : [];
    for (const b of build) {
        if (b === '')
            throw new Error('Build meta data is empty');
        if (!ALPHANUM.test(b))
            throw new Error(`Invalid character(s) found in build meta data "${b}"`);
    }
    return { major, minor, patch, pre, build };
}
function splitN(s, sep, n) {
    const out = [];
    let rest = s;
    while (out.length < n - 1) {
        const i = rest.indexOf(sep);
        if (i < 0)
            break;
        out.push(rest.slice(0, i));
        rest = rest.slice(i + 1);
    }
    out.push(rest);
    return out;
}
/** Kubernetes' normalizeAndParse: drops a leading `v`, fills missing minor/patch, strips leading zeros. */
function parseSemverNormalized(s) {
    const parts = splitN(s.startsWith('v') ? s.slice(1) : s, '.', 3).map(p => {
        if (p.length <= 1)
            return p;
        const trimmed = p.replace(/^0+/, '');
        return trimmed === '' || !/^[0-9]/.test(trimmed) ? `0${trimmed}` : trimmed;
    });
    if (parts.length < 3) {
        if (/[+-]/.test(parts[parts.length - 1]))
            throw new Error('short version cannot contain PreRelease/Build meta data');
        while (parts.length < 3)
            parts.push('0');
    }
    return parseSemver(parts.join('.'));
}
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
/** SemVer precedence: -1, 0 or 1 (build metadata ignored). */
function compareSemver(a, b) {
    for (const key of ['major', 'minor', 'patch']) {
        const c = cmp(a[key], b[key]);
        if (c !== 0)
            return c;
    }
    // A release ranks above its pre-releases.
    if (a.pre.length === 0 || b.pre.length === 0)
        return cmp(b.pre.length, a.pre.length);
    for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
        const x = a.pre[i];
        const y = b.pre[i];
        if (typeof x !== typeof y)
            return typeof x === 'bigint' ? -1 : 1;
        const c = cmp(x, y);
        if (c !== 0)
            return c;
    }
    return cmp(a.pre.length, b.pre.length);
}
function display(v, withBuild = true) {
    const core = `${v.major}.${v.minor}.${v.patch}${v.pre.length ? `-${v.pre.join('.')}` : ''}`;
    return withBuild && v.build.length ? `${core}+${v.build.join('.')}` : core;
}
const semverValue = (v) => (0,object_types/* wrapObject */.Ys)('semver', display(v, false), v, display(v));
const S = object_types/* OBJECT_TYPES */.iQ.semver;
const { STRING: semver_STRING, BOOL: semver_BOOL, INT: semver_INT } = type/* CelScalar */.ZR;
const get = (v) => (0,object_types/* unwrapObject */.Rs)('semver', v);
const semver_succeeds = (parse) => {
    try {
        parse();
        return true;
    }
    catch {
        return false;
    }
};
/** semver / isSemver and the Semver methods, as Kubernetes declares them (library.SemverLib v1). */
const semverLibrary = [
    (0,func/* celFunc */.V)('semver', [semver_STRING], S, s => semverValue(parseSemver(s))),
    (0,func/* celFunc */.V)('semver', [semver_STRING, semver_BOOL], S, (s, normalize) => semverValue(normalize ? parseSemverNormalized(s) : parseSemver(s))),
    (0,func/* celFunc */.V)('isSemver', [semver_STRING], semver_BOOL, s => semver_succeeds(() => parseSemver(s))),
    (0,func/* celFunc */.V)('isSemver', [semver_STRING, semver_BOOL], semver_BOOL, (s, normalize) => semver_succeeds(() => (normalize ? parseSemverNormalized(s) : parseSemver(s)))),
    (0,func/* celMethod */.y)('major', S, [], semver_INT, function () {
        return get(this).major;
    }),
    (0,func/* celMethod */.y)('minor', S, [], semver_INT, function () {
        return get(this).minor;
    }),
    (0,func/* celMethod */.y)('patch', S, [], semver_INT, function () {
        return get(this).patch;
    }),
    (0,func/* celMethod */.y)('isGreaterThan', S, [S], semver_BOOL, function (other) {
        return compareSemver(get(this), get(other)) === 1;
    }),
    (0,func/* celMethod */.y)('isLessThan', S, [S], semver_BOOL, function (other) {
        return compareSemver(get(this), get(other)) === -1;
    }),
    (0,func/* celMethod */.y)('compareTo', S, [S], semver_INT, function (other) {
        return BigInt(compareSemver(get(this), get(other)));
    })
];

;// CONCATENATED MODULE: ./src/cel/url.ts
/**
 * Kubernetes' URL library for CEL: `url(s)`, `isURL(s)` and the URL getters.
 *
 * Validation is Go's url.ParseRequestURI (an absolute URI or an absolute path, no fragment
 * handling), the components come from url.Parse, as in Kubernetes (library.URLs). The WHATWG URL
 * class would normalise hosts and paths and accept relative input, so this is a port of the Go rules.
 */



// Characters Go leaves unescaped in a path (shouldEscape with encodePath).
const PATH_SAFE = /[A-Za-z0-9\-_.~$&+,/:;=@]/;
function hasControlByte(s) {
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x20 || c === 0x7f)
            return true;
    }
    return false;
}
/** Go's url.unescape for paths and hosts: every % must start a valid escape. */
function url_unescape(s, plusIsSpace = false) {
    const bytes = [];
    const encoder = new TextEncoder();
    for (let i = 0; i < s.length; i++) {
        const c = s[i];
        if (c === '%') {
            const h = s.slice(i + 1, i + 3);
            if (!/^[0-9A-Fa-f]{2}$/.test(h))
                throw new Error(`invalid URL escape "${s.slice(i, i + 3)}"`);
            bytes.push(parseInt(h, 16));
            i += 2;
        }
        else if (c === '+' && plusIsSpace)
            bytes.push(0x20);
        else
            bytes.push(...encoder.encode(c));
    }
    return new TextDecoder().decode(new Uint8Array(bytes));
}
function escapePath(s) {
    let out = '';
    for (const byte of new TextEncoder().encode(s)) {
        const c = String.fromCharCode(byte);
        out +=
            byte < 0x80 && PATH_SAFE.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    return out;
}
function getScheme(raw) {
    for (let i = 0; i < raw.length; i++) {
        const c = raw[i];
        if (/[A-Za-z]/.test(c))
            continue;
        if (/[0-9+\-.]/.test(c)) {
            if (i === 0)
                return { scheme: '', rest: raw };
            continue;
        }
        if (c === ':') {
            if (i === 0)
                throw new Error('missing protocol scheme');
            return { scheme: raw.slice(0, i), rest: raw.slice(i + 1) };
        }
        return { scheme: '', rest: raw };
    }
    return { scheme: '', rest: raw };
}
const validOptionalPort = (port) => port === '' || /^:\d*$/.test(port);
function parseHost(host) {
    if (host.startsWith('[')) {
        const close = host.lastIndexOf(']');
        if (close < 0)
            throw new Error("missing ']' in host");
        const port = host.slice(close + 1);
        if (!validOptionalPort(port))
            throw new Error(`invalid port "${port}" after host`);
    }
    else {
        const colon = host.lastIndexOf(':');
        if (colon >= 0 && !validOptionalPort(host.slice(colon))) {
            throw new Error(`invalid port "${host.slice(colon)}" after host`);
        }
    }
    return url_unescape(host);
}
function parseAuthority(authority) {
    const at = authority.lastIndexOf('@');
    const host = parseHost(authority.slice(at + 1));
    if (at >= 0 && !/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(authority.slice(0, at))) {
        throw new Error('net/url: invalid userinfo');
    }
    return host;
}
/** Go's url.parse: `viaRequest` is ParseRequestURI (absolute URI or absolute path only). */
function url_parse(raw, viaRequest) {
    if (hasControlByte(raw))
        throw new Error('net/url: invalid control character in URL');
    if (raw === '' && viaRequest)
        throw new Error('empty url');
    const url = { scheme: '', opaque: '', host: '', path: '', rawPath: '', rawQuery: '' };
    if (raw === '*')
        return { ...url, path: '*' };
    const { scheme, rest: afterScheme } = getScheme(raw);
    url.scheme = scheme.toLowerCase();
    let rest = afterScheme;
    if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1)
        rest = rest.slice(0, -1);
    else {
        const q = rest.indexOf('?');
        if (q >= 0) {
            url.rawQuery = rest.slice(q + 1);
            rest = rest.slice(0, q);
        }
    }
    if (!rest.startsWith('/')) {
        if (url.scheme !== '')
            return { ...url, opaque: rest };
        if (viaRequest)
            throw new Error('invalid URI for request');
        if (rest.split('/')[0].includes(':'))
            throw new Error('first path segment in URL cannot contain colon');
    }
    if ((url.scheme !== '' || (!viaRequest && !rest.startsWith('///'))) && rest.startsWith('//')) {
        let authority = rest.slice(2);
        rest = '';
        const slash = authority.indexOf('/');
        if (slash >= 0) {
            rest = authority.slice(slash);
            authority = authority.slice(0, slash);
        }
        url.host = parseAuthority(authority);
    }
    url.path = url_unescape(rest);
    url.rawPath = escapePath(url.path) === rest ? '' : rest;
    return url;
}
/** Parses a URL as Kubernetes' url() does; throws its error message. */
function parseUrl(raw) {
    try {
        url_parse(raw, true);
        const hash = raw.indexOf('#');
        return url_parse(hash >= 0 ? raw.slice(0, hash) : raw, false);
    }
    catch (err) {
        throw new Error(`URL parse error during conversion from string: parse "${raw}": ${(0,errors/* errorMessage */.gJ)(err)}`, { cause: err });
    }
}
function hostname(host) {
    if (host.startsWith('[')) {
        const close = host.indexOf(']');
        return close < 0 ? host.slice(1) : host.slice(1, close);
    }
    const colon = host.lastIndexOf(':');
    return colon < 0 ? host : host.slice(0, colon);
}
function port(host) {
    const colon = host.lastIndexOf(':');
    if (colon < 0 || host.indexOf(']', colon) >= 0)
        return '';
    return /^\d*$/.test(host.slice(colon + 1)) ? host.slice(colon + 1) : '';
}
function escapedPath(url) {
    if (url.rawPath !== '') {
        try {
            if (/^[A-Za-z0-9\-_.~$&+,/:;=@%!'()*[\]]*$/.test(url.rawPath) &&
                url_unescape(url.rawPath) === url.path)
                return url.rawPath;
        }
        catch {
            // An invalid raw path falls back to escaping the decoded path, as Go does.
        }
    }
    return url.path === '*' ? '*' : escapePath(url.path);
}
/** Go's url.ParseQuery, skipping the pairs it would report errors for. */
function query(rawQuery) {
    const out = new Map();
    for (const pair of rawQuery.split('&')) {
        if (pair === '' || pair.includes(';'))
            continue;
        const eq = pair.indexOf('=');
        try {
            const key = url_unescape(eq < 0 ? pair : pair.slice(0, eq), true);
            const value = eq < 0 ? '' : url_unescape(pair.slice(eq + 1), true);
            out.set(key, [...(out.get(key) ?? []), value]);
        }
        catch {
            continue;
        }
    }
    return out;
}
const U = object_types/* OBJECT_TYPES */.iQ.url;
const { STRING: url_STRING, BOOL: url_BOOL } = type/* CelScalar */.ZR;
const url_get = (v) => (0,object_types/* unwrapObject */.Rs)('url', v);
/** url / isURL and the URL getters, as Kubernetes declares them (library.URLs). */
const urlLibrary = [
    (0,func/* celFunc */.V)('url', [url_STRING], U, s => (0,object_types/* wrapObject */.Ys)('url', s, parseUrl(s))),
    (0,func/* celFunc */.V)('isURL', [url_STRING], url_BOOL, s => {
        try {
            url_parse(s, true);
            return true;
        }
        catch {
            return false;
        }
    }),
    (0,func/* celMethod */.y)('getScheme', U, [], url_STRING, function () {
        return url_get(this).scheme;
    }),
    (0,func/* celMethod */.y)('getHost', U, [], url_STRING, function () {
        return url_get(this).host;
    }),
    (0,func/* celMethod */.y)('getHostname', U, [], url_STRING, function () {
        return hostname(url_get(this).host);
    }),
    (0,func/* celMethod */.y)('getPort', U, [], url_STRING, function () {
        return port(url_get(this).host);
    }),
    (0,func/* celMethod */.y)('getEscapedPath', U, [], url_STRING, function () {
        return escapedPath(url_get(this));
    }),
    (0,func/* celMethod */.y)('getQuery', U, [], (0,type/* mapType */.H$)(url_STRING, (0,type/* listType */.Vc)(url_STRING)), function () {
        return query(url_get(this).rawQuery);
    })
];

;// CONCATENATED MODULE: ./src/cel/env.ts
/**
 * The shared CEL environment: @bufbuild/cel plus the parts of the Kubernetes CEL environment that
 * success criteria, thresholds and hygiene rules use, compiled once and evaluated many times.
 *
 * Kubernetes CEL here (base environment of 1.33): standard macros and functions, strings ext v2,
 * cross-type numeric comparisons, optional types (`a.?b.orValue(x)`, `a[?k]`, optional.*),
 * quantity, url, semver (v1), ip, cidr, regex find/findAll, the list library, the sets extension,
 * homogeneous aggregate literals, compile-time checks of regex/duration/timestamp literals, and
 * the checker's overload errors for arithmetic and equality between types known without a schema
 * (`size(x) * 0.5`, infer.ts).
 * Not here: format, image and authz libraries, two-variable comprehensions, optional list/map
 * entries (`[?x]`, `{?k: v}`), optMap/optFlatMap, schema typing (a field no schema declares is a
 * runtime "no such key", not a compile error) and cost limits.
 * One deliberate difference: int/double arithmetic mixes (numbers.ts); `mixedArithmetic: false`
 * turns it off for rules that must behave exactly as in a ValidatingAdmissionPolicy.
 */















const KUBERNETES_LIBRARY = [
    ...strings/* default */.A,
    ...quantity/* quantityLibrary */.Zz,
    ...regexLibrary,
    ...urlLibrary,
    ...semverLibrary,
    ...ipLibrary,
    ...optionalLibrary,
    ...listsLibrary
];
let strictEnv;
let mixedEnv;
/** The environment for the given options (built once each). */
function environment(mixed) {
    if (mixed)
        return (mixedEnv ??= (0,env/* celEnv */.U)({ funcs: [...KUBERNETES_LIBRARY, ...mixedArithmetic] }));
    return (strictEnv ??= (0,env/* celEnv */.U)({ funcs: KUBERNETES_LIBRARY }));
}
const programs = new WeakMap();
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
function syntaxError(err, source, pre) {
    const e = (typeof err === 'object' && err !== null ? err : {});
    const at = e.location?.start?.offset;
    const offset = at === undefined ? undefined : pre.toOriginal(at);
    // The parser reports one character; name the whole token the user sees there.
    const token = offset === undefined
        ? undefined
        : /^(?:[A-Za-z_]\w*|\d+(?:\.\d+)?|\S)/.exec(source.slice(offset))?.[0];
    const found = token !== undefined ? `'${token}'` : e.found ? `'${e.found}'` : 'end of expression';
    const expected = (e.expected ?? [])
        .filter(x => x.type !== 'end' && x.description !== 'whitespace' && x.description !== 'comment')
        .map(x => x.description ?? x.text ?? '');
    const hint = expected.length > 0 && expected.length <= 4 ? `, expected ${expected.join(' or ')}` : '';
    return new cel_error/* CelError */.P(`syntax error: unexpected ${found}${hint}`, 'syntax', source, offset);
}
/** Where a node is in the user's text: the parser places a binary operator's node on the blank before the operator. */
function nodePosition(source, pre, at) {
    if (at === undefined)
        return undefined;
    let offset = pre.toOriginal(at);
    while (/\s/.test(source[offset] ?? ''))
        offset++;
    return offset;
}
/** Parses, checks and plans an expression over the given variables; throws CelError with the position. */
function compileExpression(source, vars, options = {}) {
    for (const v of vars) {
        if (!IDENTIFIER.test(v))
            throw new Error(`internal: '${v}' is not a valid CEL variable name`);
    }
    const pre = preprocess(source);
    let parsed;
    try {
        parsed = (0,parse/* parse */.q)(pre.text);
    }
    catch (err) {
        throw syntaxError(err, source, pre);
    }
    propagateOptionals(parsed);
    const mixed = options.mixedArithmetic ?? true;
    const env = environment(mixed);
    const problem = checkExpression(parsed, env, vars, mixed);
    if (problem) {
        throw new cel_error/* CelError */.P(problem.message, 'check', source, nodePosition(source, pre, problem.offset));
    }
    let run;
    try {
        run = (0,plan/* plan */.e)(env, parsed);
    }
    catch (err) {
        throw new cel_error/* CelError */.P((0,errors/* errorMessage */.gJ)(err), 'check', source);
    }
    const compiled = Object.freeze({ source, vars: Object.freeze([...vars]) });
    programs.set(compiled, { run, parsed, pre, identifiers: identifierNames(parsed) });
    return compiled;
}
function runtimeMessage(message, unbound) {
    if (message === 'unresolved attribute' && unbound !== undefined)
        return `no value for variable '${unbound}'`;
    const missing = /^field not found: (.*)$/.exec(message);
    if (missing) {
        return `no such key: ${missing[1]} (guard with has(x.${missing[1]}) or write x.?${missing[1]}.orValue(default) when it may be absent)`;
    }
    let out = message
        .replaceAll(`'${OPTIONAL_SELECT}'`, "'.?'")
        .replaceAll(`'${OPTIONAL_INDEX}'`, "'[?]'");
    if (/no matching overload for '_[-+*/]_' applied to '\((int, double|double, int)\)'/.test(out)) {
        out +=
            ': CEL does not mix int and double in arithmetic; write 2.0 rather than 2, or convert with double(x)';
    }
    return out;
}
/** Evaluates a compiled expression with JSON-like bindings; returns a plain JS value, throws CelError. */
function evaluate(compiled, bindings) {
    const program = programs.get(compiled);
    if (!program)
        throw new Error('internal: evaluate() needs an expression from compileExpression()');
    const ctx = {};
    for (const v of compiled.vars) {
        if (bindings[v] !== undefined)
            ctx[v] = toCelInput(bindings[v], v);
    }
    let result;
    try {
        result = program.run(ctx);
    }
    catch (err) {
        throw new cel_error/* CelError */.P((0,errors/* errorMessage */.gJ)(err), 'evaluation', compiled.source);
    }
    if ((0,error/* isCelError */.Jr)(result)) {
        const id = result.exprId;
        const name = id === undefined ? undefined : program.identifiers.get(id);
        const unbound = name !== undefined && compiled.vars.includes(name) && !(name in ctx) ? name : undefined;
        const at = nodeOffset(program.parsed, id);
        const offset = nodePosition(compiled.source, program.pre, at);
        throw new cel_error/* CelError */.P(runtimeMessage(result.message, unbound), 'evaluation', compiled.source, offset);
    }
    return fromCelValue(result);
}


/***/ }),

/***/ 8057:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AF: () => (/* binding */ objectKind),
/* harmony export */   Rs: () => (/* binding */ unwrapObject),
/* harmony export */   Ys: () => (/* binding */ wrapObject),
/* harmony export */   eI: () => (/* binding */ objectDisplay),
/* harmony export */   iQ: () => (/* binding */ OBJECT_TYPES)
/* harmony export */ });
/* unused harmony export TYPE_NAMES */
/* harmony import */ var _bufbuild_cel__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4540);
/* harmony import */ var _bufbuild_protobuf__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(370);
/* harmony import */ var _bufbuild_protobuf__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6149);
/* harmony import */ var _bufbuild_protobuf_wkt__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6177);
/* harmony import */ var _bufbuild_protobuf_reflect__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1106);
/* harmony import */ var _bufbuild_protobuf_reflect__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1394);
/**
 * The object types Kubernetes adds to CEL (Quantity, URL, Semver, IP, CIDR) and CEL's optional type,
 * as values @bufbuild/cel can carry.
 *
 * @bufbuild/cel only knows scalars, lists, maps and protobuf messages, so each type is a tiny message
 * with one string field `key`. The key is canonical (two values are equal exactly when Kubernetes
 * says they are), which makes CEL's built-in `==`, `!=` and `in` right without overriding them. The
 * parsed value itself rides along in a WeakMap keyed by the message, so methods never re-parse.
 */




/** The CEL type names, as `type(x)` prints them in Kubernetes. */
const TYPE_NAMES = {
    quantity: 'kubernetes.Quantity',
    url: 'kubernetes.URL',
    semver: 'kubernetes.Semver',
    ip: 'net.IP',
    cidr: 'net.CIDR',
    optional: 'optional_type'
};
const STRING_FIELD = 9;
const LABEL_OPTIONAL = 1;
const keyField = {
    name: 'key',
    number: 1,
    type: STRING_FIELD,
    label: LABEL_OPTIONAL,
    jsonName: 'key'
};
const message = (name) => ({ name, field: [keyField] });
const registry = (0,_bufbuild_protobuf__WEBPACK_IMPORTED_MODULE_0__/* .createFileRegistry */ .uO)((0,_bufbuild_protobuf__WEBPACK_IMPORTED_MODULE_1__/* .create */ .v)(_bufbuild_protobuf_wkt__WEBPACK_IMPORTED_MODULE_2__/* .FileDescriptorSetSchema */ .Zw, {
    file: [
        {
            name: 'phase_gate/cel/kubernetes.proto',
            package: 'kubernetes',
            syntax: 'proto3',
            messageType: [message('Quantity'), message('URL'), message('Semver')]
        },
        {
            name: 'phase_gate/cel/net.proto',
            package: 'net',
            syntax: 'proto3',
            messageType: [message('IP'), message('CIDR')]
        },
        {
            name: 'phase_gate/cel/optional.proto',
            syntax: 'proto3',
            messageType: [message('optional_type')]
        }
    ]
}));
function descriptor(kind) {
    const desc = registry.getMessage(TYPE_NAMES[kind]);
    if (!desc)
        throw new Error(`internal: no descriptor for ${TYPE_NAMES[kind]}`);
    return desc;
}
const DESCRIPTORS = {
    quantity: descriptor('quantity'),
    url: descriptor('url'),
    semver: descriptor('semver'),
    ip: descriptor('ip'),
    cidr: descriptor('cidr'),
    optional: descriptor('optional')
};
/** The CEL types, for function signatures. */
const OBJECT_TYPES = {
    quantity: (0,_bufbuild_cel__WEBPACK_IMPORTED_MODULE_3__/* .objectType */ .ge)(DESCRIPTORS.quantity),
    url: (0,_bufbuild_cel__WEBPACK_IMPORTED_MODULE_3__/* .objectType */ .ge)(DESCRIPTORS.url),
    semver: (0,_bufbuild_cel__WEBPACK_IMPORTED_MODULE_3__/* .objectType */ .ge)(DESCRIPTORS.semver),
    ip: (0,_bufbuild_cel__WEBPACK_IMPORTED_MODULE_3__/* .objectType */ .ge)(DESCRIPTORS.ip),
    cidr: (0,_bufbuild_cel__WEBPACK_IMPORTED_MODULE_3__/* .objectType */ .ge)(DESCRIPTORS.cidr),
    optional: (0,_bufbuild_cel__WEBPACK_IMPORTED_MODULE_3__/* .objectType */ .ge)(DESCRIPTORS.optional)
};
const payloads = new WeakMap();
/**
 * A CEL value of one of our object types: `key` decides equality, `payload` is what methods read,
 * `display` is how it leaves CEL (evaluate() returns it for a quantity, URL, ...).
 */
function wrapObject(kind, key, payload, display = key) {
    const desc = DESCRIPTORS[kind];
    const msg = (0,_bufbuild_protobuf__WEBPACK_IMPORTED_MODULE_1__/* .create */ .v)(desc, { key });
    payloads.set(msg, { payload, display });
    return (0,_bufbuild_protobuf_reflect__WEBPACK_IMPORTED_MODULE_4__/* .reflect */ .E4)(desc, msg);
}
/** How a value of one of our object types is shown outside CEL. */
function objectDisplay(value) {
    return payloads.get(value.message)?.display ?? `<${value.desc.typeName}>`;
}
/** Which of our object types a CEL value is, if any. */
function objectKind(value) {
    if (!(0,_bufbuild_protobuf_reflect__WEBPACK_IMPORTED_MODULE_5__/* .isReflectMessage */ .LT)(value))
        return undefined;
    for (const kind of Object.keys(TYPE_NAMES)) {
        if (value.desc === DESCRIPTORS[kind])
            return kind;
    }
    return undefined;
}
/** The payload of a value of the given kind; throws when the value is something else. */
function unwrapObject(kind, value) {
    if (objectKind(value) !== kind)
        throw new Error(`expected a ${TYPE_NAMES[kind]}`);
    const entry = payloads.get(value.message);
    if (entry === undefined)
        throw new Error(`internal: ${TYPE_NAMES[kind]} without a value`);
    return entry.payload;
}


/***/ }),

/***/ 1223:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Lf: () => (/* binding */ parseQuantity),
/* harmony export */   Zz: () => (/* binding */ quantityLibrary)
/* harmony export */ });
/* unused harmony exports compareQuantities, addQuantities, subtractQuantities, quantityAsInt64, formatQuantity, quantityValue */
/* harmony import */ var _bufbuild_cel__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4540);
/* harmony import */ var _bufbuild_cel__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8558);
/* harmony import */ var _object_types_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8057);
/**
 * Kubernetes' quantity library for CEL: `quantity('500m')`, `isQuantity(s)` and the Quantity methods.
 *
 * Parsing follows k8s.io/apimachinery resource.ParseQuantity exactly, including its two internal
 * representations: a value that fits the int64 fast path keeps its scale (so `quantity('1000m')`
 * is not `isInteger()`, as in Kubernetes), anything else is an exact decimal rounded up to nano.
 */


const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const NANO = -9;
const fitsInt64 = (v) => v >= INT64_MIN && v <= INT64_MAX;
const pow10 = (n) => 10n ** BigInt(n);
const DECIMAL_SUFFIXES = {
    n: -9,
    u: -6,
    m: -3,
    '': 0,
    k: 3,
    M: 6,
    G: 9,
    T: 12,
    P: 15,
    E: 18
};
const BINARY_SUFFIXES = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const isDigit = (c) => c !== undefined && c >= '0' && c <= '9';
/** Go's parseQuantityString: sign, numerator without leading zeros, denominator, suffix. */
function scan(str) {
    let pos = 0;
    const end = str.length;
    let positive = true;
    if (str[0] === '-') {
        positive = false;
        pos++;
    }
    else if (str[0] === '+')
        pos++;
    while (pos < end && str[pos] === '0')
        pos++;
    if (pos >= end)
        return { positive, value: '0', num: '0', denom: '', suffix: '' };
    let i = pos;
    while (i < end && isDigit(str[i]))
        i++;
    const num = str.slice(pos, i) || '0';
    pos = i;
    let denom = '';
    if (pos < end && str[pos] === '.') {
        pos++;
        i = pos;
        while (i < end && isDigit(str[i]))
            i++;
        denom = str.slice(pos, i);
        pos = i;
    }
    const value = str.slice(0, pos);
    const suffixStart = pos;
    while (pos < end && 'eEinumkKMGTP'.includes(str[pos]))
        pos++;
    if (pos < end && (str[pos] === '-' || str[pos] === '+'))
        pos++;
    while (pos < end && isDigit(str[pos]))
        pos++;
    if (pos < end)
        throw new Error(FORMAT_WRONG);
    return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}
function interpretSuffix(suffix) {
    if (suffix in DECIMAL_SUFFIXES)
        return { base: 10, exponent: DECIMAL_SUFFIXES[suffix], binary: false };
    if (suffix in BINARY_SUFFIXES)
        return { base: 2, exponent: BINARY_SUFFIXES[suffix], binary: true };
    if (suffix.length > 1 &&
        (suffix[0] === 'e' || suffix[0] === 'E') &&
        /^[+-]?\d+$/.test(suffix.slice(1))) {
        return { base: 10, exponent: Number(suffix.slice(1)), binary: false };
    }
    throw new Error("unable to parse quantity's suffix");
}
/** Rounds a non-zero magnitude up (away from zero) to nano precision, as ParseQuantity does. */
function roundUpToNano(unscaled, exp) {
    if (unscaled === 0n || exp >= NANO)
        return { unscaled, exp };
    const divisor = pow10(NANO - exp);
    const negative = unscaled < 0n;
    const magnitude = negative ? -unscaled : unscaled;
    let q = magnitude / divisor;
    if (q * divisor !== magnitude)
        q += 1n;
    return { unscaled: negative ? -q : q, exp: NANO };
}
/** Parses a quantity string the way resource.ParseQuantity does; throws its error messages. */
function parseQuantity(str) {
    if (str.length === 0)
        throw new Error(FORMAT_WRONG);
    if (str === '0')
        return { unscaled: 0n, exp: 0, fast: true };
    const { positive, value, num, denom, suffix } = scan(str);
    const { base, exponent, binary } = interpretSuffix(suffix);
    // The int64 fast path, with Go's own precision estimate deciding when it is taken.
    let precision;
    let scale;
    let mantissa = 1n;
    if (!binary) {
        scale = exponent;
        precision = 18 - (num.length + denom.length);
    }
    else {
        scale = 0;
        if (exponent >= 0 && denom.length === 0) {
            mantissa = 1n << BigInt(exponent);
            precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
        }
        else
            precision = -1;
    }
    if (precision >= 0) {
        scale -= denom.length;
        if (scale >= NANO) {
            const result = BigInt(num + denom) * mantissa;
            if (fitsInt64(result))
                return { unscaled: positive ? result : -result, exp: scale, fast: true };
        }
    }
    // The exact decimal path.
    const match = /^[+-]?(\d*)(?:\.(\d*))?$/.exec(value);
    if (!match || (match[1] === '' && (match[2] ?? '') === ''))
        throw new Error('unable to parse numeric part of quantity');
    let unscaled = BigInt((match[1] || '0') + (match[2] ?? ''));
    let exp = -(match[2] ?? '').length;
    if (base === 10)
        exp += exponent;
    else
        unscaled *= 1n << BigInt(exponent);
    ({ unscaled, exp } = roundUpToNano(unscaled, exp));
    if (binary &&
        unscaled > 0n &&
        compareExact({ unscaled, exp }, { unscaled: INT64_MAX, exp: 0 }) > 0) {
        unscaled = INT64_MAX;
        exp = 0;
    }
    return { unscaled: positive ? unscaled : -unscaled, exp, fast: false };
}
function align(a, b) {
    const exp = Math.min(a.exp, b.exp);
    return [a.unscaled * pow10(a.exp - exp), b.unscaled * pow10(b.exp - exp), exp];
}
function compareExact(a, b) {
    const [x, y] = align(a, b);
    return x < y ? -1 : x > y ? 1 : 0;
}
/** Compares two quantities exactly: -1, 0 or 1. */
function compareQuantities(a, b) {
    return compareExact(a, b);
}
/** Go's int64Amount.Add when both sides are int64 amounts, else an exact decimal sum. */
function addQuantities(a, b) {
    if (a.fast && b.fast) {
        if (b.unscaled === 0n)
            return a;
        if (a.unscaled === 0n)
            return b;
        const [x, y, exp] = align(a, b);
        if (fitsInt64(x) && fitsInt64(y) && fitsInt64(x + y))
            return { unscaled: x + y, exp, fast: true };
    }
    const [x, y, exp] = align(a, b);
    return { unscaled: x + y, exp, fast: false };
}
/** a - b, with the same representation rules as add. */
function subtractQuantities(a, b) {
    return addQuantities(a, { ...b, unscaled: -b.unscaled });
}
/** Go's Quantity.AsInt64: only an int64 amount with a non-negative scale that fits converts. */
function quantityAsInt64(q) {
    if (!q.fast || q.exp < 0)
        return undefined;
    const v = q.unscaled * pow10(q.exp);
    return fitsInt64(v) ? v : undefined;
}
/** A plain decimal rendering: `1500`, `0.5`, `-2.25`. */
function formatQuantity(q) {
    if (q.exp >= 0)
        return (q.unscaled * pow10(q.exp)).toString();
    const negative = q.unscaled < 0n;
    const digits = (negative ? -q.unscaled : q.unscaled).toString().padStart(-q.exp + 1, '0');
    const cut = digits.length + q.exp;
    const text = `${digits.slice(0, cut)}.${digits.slice(cut)}`.replace(/\.?0+$/, '');
    return negative ? `-${text}` : text;
}
/** The canonical equality key: the exact value with trailing zeros moved into the exponent. */
function quantityKey(q) {
    let { unscaled, exp } = q;
    if (unscaled === 0n)
        return '0';
    while (unscaled % 10n === 0n) {
        unscaled /= 10n;
        exp++;
    }
    return `${unscaled}e${exp}`;
}
/** A quantity as a CEL value. */
function quantityValue(q, display = formatQuantity(q)) {
    return (0,_object_types_js__WEBPACK_IMPORTED_MODULE_0__/* .wrapObject */ .Ys)('quantity', quantityKey(q), q, display);
}
const Q = _object_types_js__WEBPACK_IMPORTED_MODULE_0__/* .OBJECT_TYPES */ .iQ.quantity;
const { STRING, BOOL, INT, DOUBLE } = _bufbuild_cel__WEBPACK_IMPORTED_MODULE_1__/* .CelScalar */ .ZR;
const get = (v) => (0,_object_types_js__WEBPACK_IMPORTED_MODULE_0__/* .unwrapObject */ .Rs)('quantity', v);
const fromInt = (n) => ({ unscaled: n, exp: 0, fast: true });
function multiply(q, by) {
    const product = q.unscaled * by;
    return { unscaled: product, exp: q.exp, fast: q.fast && fitsInt64(product) };
}
/** The quantity functions, as Kubernetes declares them (library.Quantity). */
const quantityLibrary = [
    (0,_bufbuild_cel__WEBPACK_IMPORTED_MODULE_2__/* .celFunc */ .V)('quantity', [STRING], Q, s => quantityValue(parseQuantity(s), s)),
    (0,_bufbuild_cel__WEBPACK_IMPORTED_MODULE_2__/* .celFunc */ .V)('isQuantity', [STRING], BOOL, s => {
        try {
            parseQuantity(s);
            return true;
        }
        catch {
            return false;
        }
    }),
    // Kubernetes declares sign as a global overload; the receiver form is what its docs show.
    (0,_bufbuild_cel__WEBPACK_IMPORTED_MODULE_2__/* .celFunc */ .V)('sign', [Q], INT, q => BigInt(compareQuantities(get(q), fromInt(0n)))),
    (0,_bufbuild_cel__WEBPACK_IMPORTED_MODULE_2__/* .celMethod */ .y)('sign', Q, [], INT, function () {
        return BigInt(compareQuantities(get(this), fromInt(0n)));
    }),
    (0,_bufbuild_cel__WEBPACK_IMPORTED_MODULE_2__/* .celMethod */ .y)('isGreaterThan', Q, [Q], BOOL, function (other) {
        return compareQuantities(get(this), get(other)) === 1;
    }),
    (0,_bufbuild_cel__WEBPACK_IMPORTED_MODULE_2__/* .celMethod */ .y)('isLessThan', Q, [Q], BOOL, function (other) {
        return compareQuantities(get(this), get(other)) === -1;
    }),
    (0,_bufbuild_cel__WEBPACK_IMPORTED_MODULE_2__/* .celMethod */ .y)('compareTo', Q, [Q], INT, function (other) {
        return BigInt(compareQuantities(get(this), get(other)));
    }),
    (0,_bufbuild_cel__WEBPACK_IMPORTED_MODULE_2__/* .celMethod */ .y)('asApproximateFloat', Q, [], DOUBLE, function () {
        const q = get(this);
        return Number(`${q.unscaled}e${q.exp}`);
    }),
    (0,_bufbuild_cel__WEBPACK_IMPORTED_MODULE_2__/* .celMethod */ .y)('isInteger', Q, [], BOOL, function () {
        return quantityAsInt64(get(this)) !== undefined;
    }),
    (0,_bufbuild_cel__WEBPACK_IMPORTED_MODULE_2__/* .celMethod */ .y)('asInteger', Q, [], INT, function () {
        const v = quantityAsInt64(get(this));
        if (v === undefined)
            throw new Error('cannot convert value to integer');
        return v;
    }),
    (0,_bufbuild_cel__WEBPACK_IMPORTED_MODULE_2__/* .celMethod */ .y)('add', Q, [Q], Q, function (other) {
        return quantityValue(addQuantities(get(this), get(other)));
    }),
    (0,_bufbuild_cel__WEBPACK_IMPORTED_MODULE_2__/* .celMethod */ .y)('add', Q, [INT], Q, function (n) {
        return quantityValue(addQuantities(get(this), fromInt(n)));
    }),
    (0,_bufbuild_cel__WEBPACK_IMPORTED_MODULE_2__/* .celMethod */ .y)('sub', Q, [Q], Q, function (other) {
        return quantityValue(subtractQuantities(get(this), get(other)));
    }),
    (0,_bufbuild_cel__WEBPACK_IMPORTED_MODULE_2__/* .celMethod */ .y)('sub', Q, [INT], Q, function (n) {
        return quantityValue(subtractQuantities(get(this), fromInt(n)));
    }),
    (0,_bufbuild_cel__WEBPACK_IMPORTED_MODULE_2__/* .celMethod */ .y)('mul', Q, [INT], Q, function (n) {
        return quantityValue(multiply(get(this), n));
    })
];


/***/ }),

/***/ 7076:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   WG: () => (/* binding */ errorResult),
/* harmony export */   ay: () => (/* binding */ timed),
/* harmony export */   iJ: () => (/* binding */ checkResult)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/* harmony import */ var _kube_types_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6384);
/* harmony import */ var _core_secrets_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8198);
/** Small builders that keep every CheckResult's id, timing and shape consistent. */



/** A CheckResult with id `<kind>:<target>`, secrets redacted. */
function checkResult(kind, target, f) {
    const out = {
        id: `${kind}:${target}`,
        kind,
        target,
        verdict: f.verdict,
        severity: f.severity ?? defaultSeverity(f.verdict),
        message: (0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_2__/* .redact */ .E$)(f.message),
        durationMs: Math.round(f.durationMs ?? 0)
    };
    if (f.evidence)
        out.evidence = (0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_2__/* .redact */ .E$)(f.evidence);
    if (f.adjustment)
        out.adjustment = (0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_2__/* .redact */ .E$)(f.adjustment);
    if (f.location)
        out.location = f.location;
    if (f.data)
        out.data = f.data;
    if (f.retries)
        out.retries = f.retries;
    return out;
}
function defaultSeverity(v) {
    return v === 'fail' || v === 'error' ? 'high' : v === 'warn' ? 'medium' : 'info';
}
/** The result for a check that threw: `error` (could not check), with what went wrong. */
function errorResult(kind, target, err, location) {
    const hint = err instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InfraError */ .Ri ? err.hint : undefined;
    const status = err instanceof _kube_types_js__WEBPACK_IMPORTED_MODULE_1__/* .KubeApiError */ .W3 && err.status && !(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err).includes(`HTTP ${err.status}`)
        ? ` (HTTP ${err.status}${err.reason ? ` ${err.reason}` : ''})`
        : '';
    return checkResult(kind, target, {
        verdict: 'error',
        severity: 'high',
        message: `could not check ${target}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}${status}`,
        adjustment: hint,
        location
    });
}
/** Runs `fn`, timing it into the results it returns; a throw becomes one error result. */
async function timed(kind, target, fn, location) {
    const started = performance.now();
    let results;
    try {
        const r = await fn();
        results = Array.isArray(r) ? r : [r];
    }
    catch (err) {
        results = [errorResult(kind, target, err, location)];
    }
    const ms = Math.round(performance.now() - started);
    for (const r of results)
        if (!r.durationMs)
            r.durationMs = ms;
    return results;
}


/***/ }),

/***/ 2257:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   m: () => (/* binding */ systemClock)
/* harmony export */ });
/** Time as the gates see it, so waits are testable. */
/** The real clock. */
const systemClock = {
    now: () => Date.now(),
    sleep: (ms, signal) => new Promise((resolve, reject) => {
        if (signal?.aborted)
            return reject(signal.reason);
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(timer);
            reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
    })
};


/***/ }),

/***/ 8571:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E9: () => (/* binding */ parseDuration),
/* harmony export */   a3: () => (/* binding */ formatDuration),
/* harmony export */   pc: () => (/* binding */ durationMs)
/* harmony export */ });
/** Durations as plans write them: `500ms`, `30s`, `5m`, `1h30m`, `2d`. */
const UNIT_MS = {
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000
};
const DURATION = /^(?:(\d+(?:\.\d+)?)(ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
/** Milliseconds of a duration string, or undefined when it is not one. A bare number is seconds. */
function parseDuration(text) {
    if (text === undefined)
        return undefined;
    if (typeof text === 'number')
        return Number.isFinite(text) && text >= 0 ? text * 1000 : undefined;
    const s = text.trim();
    if (/^\d+(\.\d+)?$/.test(s))
        return Number(s) * 1000;
    if (!DURATION.test(s))
        return undefined;
    let ms = 0;
    for (const m of s.matchAll(PART))
        ms += Number(m[1]) * UNIT_MS[m[2]];
    return ms;
}
/** Like parseDuration, but throws on an invalid value (the plan was linted before). */
function durationMs(text, fallbackMs) {
    if (text === undefined)
        return fallbackMs;
    const ms = parseDuration(text);
    if (ms === undefined)
        throw new Error(`invalid duration "${text}"`);
    return ms;
}
/** A human form of milliseconds: `850ms`, `12.3s`, `4m05s`, `1h02m`. */
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.round(ms)}ms`;
    if (ms < 60_000)
        return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
    const totalS = Math.round(ms / 1000);
    if (totalS < 3600)
        return `${Math.floor(totalS / 60)}m${String(totalS % 60).padStart(2, '0')}s`;
    const totalM = Math.round(totalS / 60);
    return `${Math.floor(totalM / 60)}h${String(totalM % 60).padStart(2, '0')}m`;
}


/***/ }),

/***/ 4296:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ri: () => (/* binding */ InfraError),
/* harmony export */   cc: () => (/* binding */ CancelledError),
/* harmony export */   eb: () => (/* binding */ UsageError),
/* harmony export */   gJ: () => (/* binding */ errorMessage)
/* harmony export */ });
/** Error types shared by every layer, and the one helper that turns an unknown into a message. */
/** The message of anything thrown. */
function errorMessage(err) {
    if (err instanceof Error)
        return err.message;
    if (typeof err === 'string')
        return err;
    try {
        return JSON.stringify(err);
    }
    catch {
        return String(err);
    }
}
/** The plan or the invocation is invalid: exit 2, no stack trace. */
class UsageError extends Error {
    problems;
    constructor(message, 
    /** Every problem found, each already formatted `file:line:col: path: message`. */
    problems = []) {
        super(message);
        this.problems = problems;
        this.name = 'UsageError';
    }
}
/** A check could not be made (server unreachable, authentication, retries exhausted): exit 3. */
class InfraError extends Error {
    hint;
    constructor(message, 
    /** What to do about it. */
    hint) {
        super(message);
        this.hint = hint;
        this.name = 'InfraError';
    }
}
/** The run was cancelled by a signal. */
class CancelledError extends Error {
    signal;
    constructor(signal = 'abort') {
        super(`cancelled by ${signal}`);
        this.signal = signal;
        this.name = 'CancelledError';
    }
}


/***/ }),

/***/ 2642:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   l: () => (/* binding */ processExec)
/* harmony export */ });
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8198);
/** The one seam through which phase-gate runs other programs. */


/** Runs programs for real, with a timeout, capped output and no shell unless asked. */
const processExec = {
    run(argv, opts = {}) {
        const started = Date.now();
        const max = opts.maxOutput ?? 1 << 20;
        return new Promise(resolve => {
            const [cmd, ...args] = opts.shell ? ['/bin/sh', '-c', argv.join(' ')] : argv;
            let stdout = '';
            let stderr = '';
            let timedOut = false;
            let settled = false;
            const finish = (r) => {
                if (settled)
                    return;
                settled = true;
                clearTimeout(timer);
                resolve({ ...r, stdout, stderr, timedOut, durationMs: Date.now() - started });
            };
            const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(cmd, args, {
                cwd: opts.cwd,
                env: { ...process.env, ...opts.env },
                stdio: ['pipe', 'pipe', 'pipe'],
                signal: opts.signal
            });
            const timer = opts.timeoutMs
                ? setTimeout(() => {
                    timedOut = true;
                    child.kill('SIGTERM');
                    setTimeout(() => child.kill('SIGKILL'), 2000).unref();
                }, opts.timeoutMs)
                : undefined;
            child.stdout.on('data', (d) => {
                if (stdout.length < max)
                    stdout += d.toString();
            });
            child.stderr.on('data', (d) => {
                if (stderr.length < max)
                    stderr += d.toString();
            });
            child.on('error', err => finish({ exitCode: 127, spawnError: (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(err.message) }));
            child.on('close', (code, sig) => finish({ exitCode: code ?? (sig ? 128 + 15 : 1) }));
            if (opts.input !== undefined)
                child.stdin.end(opts.input);
            else
                child.stdin.end();
        });
    }
};


/***/ }),

/***/ 7253:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $i: () => (/* binding */ countRetriesSettled),
/* harmony export */   J_: () => (/* binding */ RetryError),
/* harmony export */   Ko: () => (/* binding */ retriesOf),
/* harmony export */   bD: () => (/* binding */ withRetry),
/* harmony export */   gW: () => (/* binding */ unwrapRetryError),
/* harmony export */   mu: () => (/* binding */ parseRetryAfter)
/* harmony export */ });
/* unused harmony exports nextDelay, noteRetry, countRetries */
/* harmony import */ var node_async_hooks__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6698);
/* harmony import */ var node_async_hooks__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_async_hooks__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _clock_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2257);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4296);
/**
 * Retries with bounded exponential backoff and jitter, honouring a server's
 * `Retry-After`, counting the retries so reports can say how hard a check had
 * to try. Shared by the registry, kube and Prometheus clients.
 */



/** Thrown when an operation failed after at least one retry; `cause` is its last error. */
class RetryError extends Error {
    cause;
    retries;
    waitedMs;
    constructor(cause, retries, waitedMs) {
        super(messageOf(cause));
        this.cause = cause;
        this.retries = retries;
        this.waitedMs = waitedMs;
        this.name = 'RetryError';
    }
}
// Duck-typed: errors from fetch belong to another realm under jest's VM.
function messageOf(err) {
    const m = typeof err === 'object' && err !== null ? err.message : undefined;
    return typeof m === 'string' ? m : (0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(err);
}
/** Retries an error made before it was thrown (0 when it was thrown at the first attempt). */
function retriesOf(err) {
    return err instanceof RetryError ? err.retries : 0;
}
/** The error behind a RetryError, or the error itself. */
function unwrapRetryError(err) {
    return err instanceof RetryError ? err.cause : err;
}
/** Runs `op` until its answer or error is not retryable, or retries run out. */
async function withRetry(op, opts = {}) {
    const maxRetries = opts.maxRetries ?? 3;
    const clock = opts.clock ?? _clock_js__WEBPACK_IMPORTED_MODULE_1__/* .systemClock */ .m;
    let retries = 0;
    let waitedMs = 0;
    for (;;) {
        let decision;
        let value;
        let failed = false;
        let error;
        try {
            value = await op(retries);
            decision = opts.retryResult?.(value);
        }
        catch (err) {
            if (opts.signal?.aborted)
                throw err;
            failed = true;
            error = err;
            decision = opts.retryError?.(err);
        }
        const delayMs = decision ? nextDelay(decision, retries, opts) : undefined;
        if (!decision || delayMs === undefined || retries >= maxRetries) {
            if (failed)
                throw retries > 0 ? new RetryError(error, retries, waitedMs) : error;
            const out = { value: value, retries, waitedMs };
            if (decision)
                out.exhausted = decision;
            return out;
        }
        retries++;
        noteRetry();
        opts.onRetry?.({ retry: retries, delayMs, reason: decision.reason });
        await clock.sleep(delayMs, opts.signal);
        waitedMs += delayMs;
    }
}
/**
 * The wait before retry `retry + 1`: the server's Retry-After when it gave one
 * (undefined when that exceeds the cap), else exponential backoff with equal
 * jitter, so waits are never near zero yet clients spread out.
 */
function nextDelay(decision, retry, opts = {}) {
    if (decision.retryAfterMs !== undefined) {
        const cap = opts.maxRetryAfterMs ?? 60_000;
        return decision.retryAfterMs > cap ? undefined : Math.max(0, decision.retryAfterMs);
    }
    const base = opts.baseDelayMs ?? 250;
    const max = opts.maxDelayMs ?? 8000;
    const ceiling = Math.min(max, base * 2 ** retry);
    const random = opts.random ?? Math.random;
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
/**
 * Milliseconds an HTTP `Retry-After` asks for: delta-seconds or an HTTP date
 * (relative to `now`); undefined when absent or unreadable.
 */
function parseRetryAfter(header, now = Date.now()) {
    if (!header)
        return undefined;
    const s = header.trim();
    if (/^\d+$/.test(s))
        return Number(s) * 1000;
    if (!/[a-z]/i.test(s))
        return undefined;
    const at = Date.parse(s);
    if (Number.isNaN(at))
        return undefined;
    return Math.max(0, at - now);
}
const scopes = new node_async_hooks__WEBPACK_IMPORTED_MODULE_0__.AsyncLocalStorage();
/** Counts one retry into the current scope and the scopes around it (withRetry calls it). */
function noteRetry(n = 1) {
    for (let s = scopes.getStore(); s; s = s.parent)
        s.count += n;
}
/** Runs `fn` and counts the retries made on its behalf by any client using withRetry. */
async function countRetries(fn) {
    const scope = { count: 0, parent: scopes.getStore() };
    const value = await scopes.run(scope, fn);
    return { value, retries: scope.count };
}
/** Like countRetries, but the count also arrives when `fn` throws (on `retries` of the handler's argument). */
async function countRetriesSettled(fn) {
    const scope = { count: 0, parent: scopes.getStore() };
    try {
        const value = await scopes.run(scope, fn);
        return { ok: true, value, retries: scope.count };
    }
    catch (error) {
        return { ok: false, error, retries: scope.count };
    }
}


/***/ }),

/***/ 8198:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E$: () => (/* binding */ redact),
/* harmony export */   IJ: () => (/* binding */ onSecret),
/* harmony export */   cl: () => (/* binding */ registerSecret)
/* harmony export */ });
/* unused harmony exports containsSecret, clearSecrets */
/**
 * Every secret value the run knows (tokens, passwords, kubeconfig
 * credentials) is registered here; every renderer and logger passes its output
 * through `redact`, which removes the plain, base64 and URL-encoded forms.
 */
const MASK = '***';
const secrets = new Set();
const forms = [];
const listeners = [];
/** Registers a secret value (ignored when shorter than 4 characters, as GitHub does). */
function registerSecret(value) {
    if (!value || value.length < 4 || secrets.has(value))
        return;
    secrets.add(value);
    const variants = new Set([
        value,
        Buffer.from(value).toString('base64'),
        Buffer.from(value).toString('base64').replace(/=+$/, ''),
        Buffer.from(value).toString('base64url'),
        encodeURIComponent(value),
        JSON.stringify(value).slice(1, -1)
    ]);
    for (const v of variants)
        if (v.length >= 4)
            forms.push(v);
    // Longest first so a secret containing another is masked whole.
    forms.sort((a, b) => b.length - a.length);
    for (const l of listeners)
        l(value);
}
/** Called for each secret registered from now on (the action forwards them to core.setSecret). */
function onSecret(listener) {
    listeners.push(listener);
    for (const s of secrets)
        listener(s);
}
/** The text with every known secret form replaced by `***`. */
function redact(text) {
    if (forms.length === 0 || !text)
        return text;
    let out = text;
    for (const f of forms)
        if (out.includes(f))
            out = out.split(f).join(MASK);
    return out;
}
/** True when the text holds any registered secret form. */
function containsSecret(text) {
    return forms.some(f => text.includes(f));
}
/** Forgets every secret (tests only). */
function clearSecrets() {
    secrets.clear();
    forms.length = 0;
}


/***/ }),

/***/ 5642:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  jN: () => (/* binding */ cleanupObjects),
  ji: () => (/* binding */ tracerGate)
});

// UNUSED EXPORTS: cleanupRunTracers, tracerObjects

// EXTERNAL MODULE: ./src/checks/result.ts
var checks_result = __webpack_require__(7076);
// EXTERNAL MODULE: ./src/core/duration.ts
var duration = __webpack_require__(8571);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/kube/apply.ts
var apply = __webpack_require__(9501);
// EXTERNAL MODULE: ./src/kube/client.ts + 3 modules
var client = __webpack_require__(4229);
// EXTERNAL MODULE: ./src/cel/criteria.ts
var criteria = __webpack_require__(2875);
// EXTERNAL MODULE: ./src/kube/readiness.ts
var readiness = __webpack_require__(5153);
// EXTERNAL MODULE: ./src/kube/wait.ts
var wait = __webpack_require__(8368);
;// CONCATENATED MODULE: ./src/kube/criteria.ts
/** Tracer success criteria as wait decisions: ready, phase, condition or a CEL expression over the object. */




/** One line describing a criterion, for messages. */
function describeCriterion(c) {
    if ('ready' in c)
        return 'ready';
    if ('phase' in c)
        return `phase ${c.phase}`;
    if ('condition' in c)
        return `condition ${c.condition}=${c.status ?? 'True'}`;
    return `CEL ${c.cel}`;
}
/** The wait decision for a criterion; `lastError` keeps the last CEL evaluation problem for evidence. */
function criterionDecision(c) {
    let last;
    const until = (obj, ctx) => {
        if (!obj)
            return 'pending';
        if (ctx.status.status === 'Failed')
            return { failed: ctx.status.message || 'Failed' };
        if ('ready' in c)
            return (0,wait/* untilCurrent */.g$)(obj, ctx);
        if ('phase' in c) {
            const phase = obj.status?.phase;
            if (phase === c.phase)
                return 'done';
            if (phase === 'Failed' && c.phase !== 'Failed')
                return { failed: `phase is Failed, expected ${c.phase}` };
            return 'pending';
        }
        if ('condition' in c) {
            const cond = (0,readiness/* findCondition */.fS)(obj, c.condition);
            return cond?.status === (c.status ?? 'True') ? 'done' : 'pending';
        }
        try {
            const v = (0,criteria/* evaluateCel */.Sx)(c.cel, { object: obj });
            last = v === true ? undefined : `${c.cel} evaluated to ${JSON.stringify(v)}`;
            return v === true ? 'done' : 'pending';
        }
        catch (err) {
            // A field not set yet (status still empty) is "not yet", not a failure.
            last = `${c.cel}: ${(0,errors/* errorMessage */.gJ)(err)}`;
            return 'pending';
        }
    };
    return { until, lastError: () => last };
}

// EXTERNAL MODULE: ./src/kube/evidence.ts
var evidence = __webpack_require__(2804);
// EXTERNAL MODULE: ./src/kube/state-record.ts
var state_record = __webpack_require__(8076);
// EXTERNAL MODULE: ./src/kube/types.ts
var types = __webpack_require__(6384);
// EXTERNAL MODULE: ./src/plan/budgets.ts
var budgets = __webpack_require__(6817);
// EXTERNAL MODULE: ./src/plan/manifests.ts
var manifests = __webpack_require__(1553);
// EXTERNAL MODULE: ./src/report/model.ts
var model = __webpack_require__(6867);
;// CONCATENATED MODULE: ./src/gates/tracer.ts
/**
 * Gate 0, tracer bullets: each critical assumption survives a minimal real
 * deployment. Apply one small object with the run's labels, wait for its
 * success criterion within its timeout (failing fast when the cause is
 * known), capture evidence, and always clean up and wait until it is gone:
 * on success, failure, timeout, exception and cancellation.
 */














const DEFAULT_TIMEOUT_MS = 120_000;
/** Cleanup has its own time, never what the wait left over. */
const CLEANUP_TIMEOUT_MS = 90_000;
/** The objects of a tracer's manifest (file or inline). */
async function tracerObjects(loaded, t, index, workspace) {
    if (t.manifest.inline !== undefined) {
        const loc = loaded.locate(['tracers', index, 'manifest', 'inline']);
        return (0,manifests/* parseManifests */.Ye)(t.manifest.inline, `${loaded.displayFile}:${loc.line} (tracers[${index}].manifest.inline)`).map(m => m.object);
    }
    if (!t.manifest.file)
        throw new errors/* UsageError */.eb(`tracers[${index}] (${t.name}): manifest needs file or inline`);
    const files = await (0,manifests/* expandManifestPaths */.ov)(loaded, [t.manifest.file], `tracers[${index}].manifest.file`);
    return (await (0,manifests/* loadManifestFiles */.Le)(loaded, files, workspace)).map(m => m.object);
}
/** Deletes objects and waits until they are gone; never throws. */
async function cleanupObjects(cluster, refs, ctx) {
    if (refs.length === 0)
        return { ok: true, message: 'nothing to clean up' };
    // Its own deadline and no cancellation signal: a cancelled run must still clean up.
    try {
        await Promise.all(refs.map(r => cluster.delete(r, { propagationPolicy: 'Foreground' })));
        const gone = await (0,wait/* waitForGone */.iY)(cluster, refs, {
            timeoutMs: CLEANUP_TIMEOUT_MS,
            clock: ctx.clock
        });
        if (gone.result === 'done')
            return { ok: true, message: `cleaned up: ${refs.map(types/* describeRef */.Ro).join(', ')} gone` };
        return { ok: false, message: `cleanup incomplete: ${gone.message}` };
    }
    catch (err) {
        ctx.log.warn(`tracer cleanup: ${(0,errors/* errorMessage */.gJ)(err)}`);
        return { ok: false, message: `cleanup failed: ${(0,errors/* errorMessage */.gJ)(err)}` };
    }
}
/** Removes every tracer object of a run still in the cluster (the post step and signal handlers call it). */
async function cleanupRunTracers(cluster, plan, runId, namespace, kinds, ctx) {
    const selector = runSelector(plan, runId, 'tracer');
    const found = [];
    for (const k of kinds) {
        try {
            const { items } = await cluster.list(k.apiVersion, k.kind, {
                namespace,
                labelSelector: selector
            });
            found.push(...items.map(refOf));
        }
        catch (err) {
            ctx.log.warn(`cannot list ${k.kind} for cleanup: ${errorMessage(err)}`);
        }
    }
    const r = await cleanupObjects(cluster, found, ctx);
    return { ...r, removed: found.length };
}
async function fireTracer(ctx, t, index) {
    const location = ctx.loaded.locate(['tracers', index]);
    const started = ctx.clock.now();
    const timeoutMs = (0,duration/* durationMs */.pc)(t.timeout, DEFAULT_TIMEOUT_MS);
    const cluster = await ctx.cluster();
    const raw = await tracerObjects(ctx.loaded, t, index, ctx.settings.workspace);
    if (raw.length === 0)
        throw new errors/* UsageError */.eb(`tracer ${t.name}: its manifest holds no object`);
    const objects = await (0,apply/* prepareObjects */.qK)(cluster, raw, ctx.namespace, {
        plan: ctx.loaded.plan.name,
        run: ctx.runId,
        role: 'tracer',
        unit: t.name
    });
    const refs = objects.map(types/* refOf */.H8);
    const record = new state_record/* StateRecord */.l(cluster, ctx.loaded.plan.name, ctx.namespace);
    // Written before the apply, so a post step after a kill knows which kinds to sweep.
    await record
        .writeRunData(ctx.runId, `tracer.${t.name}.json`, JSON.stringify({ refs, at: new Date(started).toISOString() }))
        .catch(err => ctx.log.debug(`could not record tracer ${t.name}: ${(0,errors/* errorMessage */.gJ)(err)}`));
    const criterion = t.success ?? { ready: true };
    const decision = criterionDecision(criterion);
    const main = refs[refs.length - 1];
    let result;
    try {
        result = await attempt();
    }
    catch (err) {
        result = (0,checks_result/* checkResult */.iJ)('tracer', t.name, {
            verdict: ctx.signal.aborted ? 'cancelled' : 'error',
            message: `tracer ${t.name} could not run: ${(0,errors/* errorMessage */.gJ)(err)}`,
            location,
            data: { assumption: t.assumption }
        });
    }
    if (t.cleanup !== false || ctx.signal.aborted) {
        ctx.progress({ gate: 'tracer', activity: `${t.name}: cleaning up` });
        const c = await cleanupObjects(cluster, refs, ctx);
        result.data = { ...result.data, cleanedUp: c.ok };
        result.evidence = [result.evidence, c.message].filter(Boolean).join('\n');
        if (!c.ok && result.verdict === 'pass') {
            result.verdict = 'fail';
            result.message = `${result.message}; but ${c.message}`;
        }
    }
    return result;
    async function attempt() {
        ctx.progress({
            gate: 'tracer',
            activity: `${t.name}: applying ${refs.map(types/* describeRef */.Ro).join(', ')}`
        });
        for (const o of objects) {
            if (ctx.signal.aborted)
                break;
            try {
                await (0,apply/* applyOnceAccountExists */.j7)(cluster, o, {
                    dryRun: ctx.settings.dryRun,
                    signal: ctx.signal
                });
            }
            catch (err) {
                // No answer, 429 or a 5xx says nothing about the assumption: could not check (exit 3).
                const infra = (0,client/* asInfraError */.z$)(err, cluster);
                if (infra)
                    return (0,checks_result/* checkResult */.iJ)('tracer', t.name, {
                        verdict: 'error',
                        message: `could not apply ${(0,types/* describeRef */.Ro)(o)}: ${(0,errors/* errorMessage */.gJ)(err)}`,
                        adjustment: infra.hint,
                        location,
                        data: { assumption: t.assumption }
                    });
                return (0,checks_result/* checkResult */.iJ)('tracer', t.name, {
                    verdict: 'fail',
                    message: `${(0,types/* describeRef */.Ro)(o)} was rejected by the cluster: ${(0,errors/* errorMessage */.gJ)(err)}`,
                    evidence: (0,errors/* errorMessage */.gJ)(err),
                    adjustment: `back to research: the assumption "${t.assumption}" does not hold; fix the manifest or the cluster, then re-run the reality check`,
                    location,
                    data: { assumption: t.assumption }
                });
            }
        }
        if (ctx.settings.dryRun)
            return (0,checks_result/* checkResult */.iJ)('tracer', t.name, {
                verdict: 'pass',
                message: `dry run: the cluster accepts ${refs.map(types/* describeRef */.Ro).join(', ')}`,
                location,
                data: { assumption: t.assumption }
            });
        ctx.progress({
            gate: 'tracer',
            activity: `${t.name}: waiting for ${describeCriterion(criterion)} of ${(0,types/* describeRef */.Ro)(main)}`
        });
        const isMain = (r) => r.kind === main.kind && r.name === main.name;
        const outcome = await (0,wait/* waitForObjects */.Ld)(cluster, refs, {
            timeoutMs,
            signal: ctx.signal,
            clock: ctx.clock,
            failFast: true,
            // The criterion judges the tracer's main object (the last); the others must only exist.
            until: (obj, wctx) => isMain(wctx.ref) ? decision.until(obj, wctx) : obj ? 'done' : 'pending'
        });
        if (outcome.result === 'done') {
            const readyAfter = outcome.objects.find(o => isMain(o.ref))?.readyAfterMs ?? outcome.durationMs;
            return (0,checks_result/* checkResult */.iJ)('tracer', t.name, {
                verdict: 'pass',
                message: `${main.kind} ${main.name} ${describeCriterion(criterion)} in ${(0,duration/* formatDuration */.a3)(readyAfter)}`,
                location,
                data: { assumption: t.assumption, readyAfterMs: readyAfter }
            });
        }
        const ev = await (0,evidence/* collectEvidence */.m)(cluster, main).then(evidence/* formatEvidence */.V, err => `evidence unavailable: ${(0,errors/* errorMessage */.gJ)(err)}`);
        return (0,checks_result/* checkResult */.iJ)('tracer', t.name, {
            verdict: outcome.result === 'cancelled'
                ? 'cancelled'
                : outcome.result === 'error'
                    ? 'error'
                    : 'fail',
            message: outcome.failure
                ? `${outcome.failure.reason}: ${outcome.failure.message}`
                : outcome.message,
            evidence: [decision.lastError(), ev].filter(Boolean).join('\n'),
            adjustment: `back to research: the assumption "${t.assumption}" failed (${outcome.failure?.reason ?? outcome.result}); fix what the evidence shows, then re-run the reality check and this tracer`,
            location,
            data: { assumption: t.assumption, reason: outcome.failure?.reason ?? outcome.result }
        });
    }
}
const tracerGate = {
    name: 'tracer',
    async run(ctx) {
        const started = ctx.clock.now();
        const all = ctx.loaded.plan.tracers ?? [];
        const selected = ctx.settings.tracer ? all.filter(t => t.name === ctx.settings.tracer) : all;
        if (ctx.settings.tracer && selected.length === 0)
            throw new errors/* UsageError */.eb(`no tracer named "${ctx.settings.tracer}"; tracers: ${all.map(t => t.name).join(', ') || 'none'}`);
        const checks = [];
        // One at a time: each bullet proves one assumption, and evidence stays readable.
        for (const t of selected) {
            if (ctx.signal.aborted) {
                checks.push((0,checks_result/* checkResult */.iJ)('tracer', t.name, {
                    verdict: 'cancelled',
                    message: 'not fired: the run was cancelled'
                }));
                continue;
            }
            checks.push(await fireTracer(ctx, t, all.indexOf(t)));
        }
        return [
            (0,model/* gateResult */.xp)('tracer', started, checks, {
                now: ctx.clock.now(),
                name: ctx.settings.tracer,
                budgetMs: (0,budgets/* budgetMs */.OU)(ctx.loaded.plan, 'tracer'),
                notes: selected.length === 0 ? ['the plan has no tracers'] : undefined
            })
        ];
    }
};


/***/ }),

/***/ 4910:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   HA: () => (/* binding */ latestRevision),
/* harmony export */   U4: () => (/* binding */ historyRows),
/* harmony export */   a_: () => (/* binding */ stuckReleaseAdvice),
/* harmony export */   ec: () => (/* binding */ previousGoodRevision),
/* harmony export */   f5: () => (/* binding */ Helm),
/* harmony export */   t2: () => (/* binding */ HelmError)
/* harmony export */ });
/* unused harmony export PENDING_STATUSES */
/* harmony import */ var _core_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8571);
/* harmony import */ var _core_secrets_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8198);
/**
 * The `helm` binary through the one exec seam: upgrade --install without
 * `--wait` (readiness is ours), history and manifests as data, rollback and
 * uninstall. Every call names the kubeconfig and context of the run and the
 * release namespace, so helm talks to the cluster the gate talks to.
 */


/** A helm command failed. */
class HelmError extends Error {
    argv;
    result;
    constructor(message, argv, result) {
        super(message);
        this.argv = argv;
        this.result = result;
        this.name = 'HelmError';
    }
}
/** Statuses of a release another helm operation left unfinished. */
const PENDING_STATUSES = new Set(['pending-install', 'pending-upgrade', 'pending-rollback']);
/** A helm client for one namespace. */
class Helm {
    opts;
    constructor(opts) {
        this.opts = opts;
    }
    common() {
        const out = ['--namespace', this.opts.namespace];
        if (this.opts.kubeconfig)
            out.push('--kubeconfig', this.opts.kubeconfig);
        if (this.opts.context)
            out.push('--kube-context', this.opts.context);
        return out;
    }
    /** Runs helm; resolves with the result or throws HelmError naming the command and its stderr. */
    async run(args, timeoutMs = 120_000) {
        const argv = [this.opts.binary ?? 'helm', ...args, ...this.common()];
        const r = await this.opts.exec.run(argv, {
            timeoutMs,
            env: this.opts.env,
            signal: this.opts.signal
        });
        if (r.exitCode !== 0 || r.timedOut || r.spawnError) {
            const why = r.spawnError
                ? `could not start helm: ${r.spawnError}`
                : r.timedOut
                    ? `timed out after ${(0,_core_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(timeoutMs)}`
                    : (r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n');
            throw new HelmError((0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(`helm ${args.slice(0, 2).join(' ')} failed: ${why}`), argv, r);
        }
        return r;
    }
    /** The release's revisions, oldest first; [] when the release does not exist. */
    async history(release) {
        try {
            const r = await this.run(['history', release, '--max', '256', '-o', 'json']);
            const parsed = JSON.parse(r.stdout || '[]');
            return parsed.sort((a, b) => a.revision - b.revision);
        }
        catch (err) {
            if (err instanceof HelmError && /release: not found/.test(err.result.stderr))
                return [];
            throw err;
        }
    }
    /** The rendered manifest of a revision (the current one when none is given). */
    async manifest(release, revision) {
        const args = ['get', 'manifest', release];
        if (revision !== undefined)
            args.push('--revision', String(revision));
        return (await this.run(args)).stdout;
    }
    /** `helm upgrade --install` without `--wait`. */
    async upgradeInstall(release, chart, o) {
        const args = ['upgrade', '--install', release, chart];
        if (o.version)
            args.push('--version', o.version);
        for (const f of o.valuesFiles)
            args.push('--values', f);
        if (o.postRenderer) {
            args.push('--post-renderer', o.postRenderer.executable);
            for (const a of o.postRenderer.args)
                args.push('--post-renderer-args', a);
        }
        args.push('--timeout', `${Math.max(1, Math.round(o.timeoutMs / 1000))}s`);
        if (o.dryRun)
            args.push('--dry-run=server');
        return this.run(args, o.timeoutMs + 30_000);
    }
    /** `helm template` with the same chart and values (what the release would render). */
    async template(release, chart, o) {
        const args = ['template', release, chart];
        if (o.version)
            args.push('--version', o.version);
        for (const f of o.valuesFiles)
            args.push('--values', f);
        return (await this.run(args)).stdout;
    }
    /** `helm rollback <release> <revision>` without `--wait` (readiness is verified by the caller). */
    async rollback(release, revision, timeoutMs) {
        return this.run([
            'rollback',
            release,
            String(revision),
            '--timeout',
            `${Math.max(1, Math.round(timeoutMs / 1000))}s`
        ], timeoutMs + 30_000);
    }
    /** `helm uninstall` (a failed first install has no revision to go back to). */
    async uninstall(release, timeoutMs) {
        return this.run(['uninstall', release, '--timeout', `${Math.max(1, Math.round(timeoutMs / 1000))}s`], timeoutMs + 30_000);
    }
}
/** The revision a rollback goes back to: the newest before `current` that was deployed (superseded now). */
function previousGoodRevision(history, current) {
    return [...history]
        .filter(h => h.revision < current && (h.status === 'superseded' || h.status === 'deployed'))
        .sort((a, b) => b.revision - a.revision)[0];
}
/** The release's revision now (the newest), if any. */
function latestRevision(history) {
    return history.length ? history.reduce((a, b) => (b.revision > a.revision ? b : a)) : undefined;
}
/**
 * Words and a command for a release another helm operation left pending
 * (a cancelled job): rollback to the last deployed revision, or uninstall a
 * release that never had one.
 */
function stuckReleaseAdvice(release, namespace, history) {
    const latest = latestRevision(history);
    if (!latest || !PENDING_STATUSES.has(latest.status))
        return undefined;
    const good = previousGoodRevision(history, latest.revision);
    const command = good
        ? `helm rollback ${release} ${good.revision} --namespace ${namespace}`
        : `helm uninstall ${release} --namespace ${namespace}`;
    return {
        message: `release ${release} is stuck in ${latest.status} at revision ${latest.revision} (${latest.description || 'an interrupted helm operation'}); helm refuses another operation until it is freed`,
        command
    };
}
/** The history as report rows. */
function historyRows(history) {
    return history.map(h => ({
        revision: h.revision,
        status: h.status,
        chart: h.chart,
        appVersion: h.app_version,
        updated: h.updated,
        description: h.description
    }));
}


/***/ }),

/***/ 9777:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   gA: () => (/* binding */ refsOf),
/* harmony export */   gM: () => (/* binding */ waitForRevision),
/* harmony export */   w6: () => (/* binding */ rollbackRelease),
/* harmony export */   wh: () => (/* binding */ manifestObjects)
/* harmony export */ });
/* harmony import */ var _core_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8571);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4296);
/* harmony import */ var _kube_evidence_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2804);
/* harmony import */ var _kube_types_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6384);
/* harmony import */ var _kube_wait_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8368);
/* harmony import */ var _plan_manifests_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1553);
/* harmony import */ var _helm_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(4910);
/**
 * A Helm release as the gates judge it: the objects of a revision's
 * manifest waited on with our readiness (kstatus, fail fast), and a
 * rollback to an earlier revision verified by the revision and chart the
 * release ends on and by its objects being Current again.
 */







/** The objects of a rendered manifest, namespaced into the release namespace where they need one. */
async function manifestObjects(cluster, manifest, namespace, display = 'helm manifest') {
    const objects = (0,_plan_manifests_js__WEBPACK_IMPORTED_MODULE_5__/* .parseManifests */ .Ye)(manifest, display).map(m => m.object);
    return Promise.all(objects.map(async (o) => {
        if (o.metadata.namespace)
            return o;
        const info = await cluster.resourceFor(o.apiVersion, o.kind).catch(() => undefined);
        const namespaced = info
            ? info.namespaced
            : o.kind !== 'Namespace' && o.kind !== 'CustomResourceDefinition';
        return namespaced ? { ...o, metadata: { ...o.metadata, namespace } } : o;
    }));
}
/** Refs of a manifest's objects. */
function refsOf(objects) {
    return objects.map(o => ({
        apiVersion: o.apiVersion,
        kind: o.kind,
        name: o.metadata.name,
        namespace: o.metadata.namespace
    }));
}
/** Waits for a revision's objects to be Current (fail fast on known causes). */
async function waitForRevision(helm, cluster, release, revision, opts) {
    const manifest = await helm.manifest(release, revision);
    const refs = refsOf(await manifestObjects(cluster, manifest, helm.opts.namespace, `${release} revision ${revision}`));
    const outcome = await (0,_kube_wait_js__WEBPACK_IMPORTED_MODULE_4__/* .waitForObjects */ .Ld)(cluster, refs, { ...opts, failFast: true });
    let evidence;
    if (outcome.result !== 'done') {
        const culprit = outcome.failure?.ref ?? outcome.objects.find(o => o.state !== 'done')?.ref;
        if (culprit)
            evidence = await (0,_kube_evidence_js__WEBPACK_IMPORTED_MODULE_2__/* .collectEvidence */ .m)(cluster, culprit).then(_kube_evidence_js__WEBPACK_IMPORTED_MODULE_2__/* .formatEvidence */ .V, e => `evidence unavailable: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(e)}`);
    }
    return { outcome, refs, evidence };
}
/**
 * Rolls a release back to `to` (default: the newest earlier revision that
 * was deployed) and verifies it: a new revision, `deployed`, on the chart of
 * `to`, with every object Current within the deadline.
 */
async function rollbackRelease(helm, cluster, release, opts) {
    const before = await helm.history(release);
    const current = (0,_helm_js__WEBPACK_IMPORTED_MODULE_6__/* .latestRevision */ .HA)(before);
    if (!current)
        return {
            ok: false,
            message: `release ${release} not found in namespace ${helm.opts.namespace}`,
            data: {}
        };
    const target = opts.to !== undefined
        ? before.find(h => h.revision === opts.to)
        : (0,_helm_js__WEBPACK_IMPORTED_MODULE_6__/* .previousGoodRevision */ .ec)(before, current.revision);
    if (!target)
        return {
            ok: false,
            message: `release ${release} has no earlier deployed revision to go back to (revision ${current.revision} is its ${current.revision === 1 ? 'first' : 'oldest kept'})`,
            data: { history: (0,_helm_js__WEBPACK_IMPORTED_MODULE_6__/* .historyRows */ .U4)(before) }
        };
    const left = () => Math.max(1000, opts.deadline - opts.clock.now());
    if (opts.dryRun) {
        return {
            ok: true,
            message: `dry run: would roll release ${release} back from revision ${current.revision} (${current.chart}) to ${target.revision} (${target.chart})`,
            data: { from: current.revision, to: target.revision, history: (0,_helm_js__WEBPACK_IMPORTED_MODULE_6__/* .historyRows */ .U4)(before) }
        };
    }
    try {
        await helm.rollback(release, target.revision, left());
    }
    catch (err) {
        return {
            ok: false,
            message: (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(err),
            data: { from: current.revision, to: target.revision, history: (0,_helm_js__WEBPACK_IMPORTED_MODULE_6__/* .historyRows */ .U4)(before) }
        };
    }
    const after = await helm.history(release);
    const now = (0,_helm_js__WEBPACK_IMPORTED_MODULE_6__/* .latestRevision */ .HA)(after);
    const data = {
        from: { revision: current.revision, chart: current.chart, appVersion: current.app_version },
        to: { revision: target.revision, chart: target.chart, appVersion: target.app_version },
        now: { revision: now.revision, status: now.status, chart: now.chart },
        history: (0,_helm_js__WEBPACK_IMPORTED_MODULE_6__/* .historyRows */ .U4)(after)
    };
    const problems = [];
    if (now.revision <= current.revision)
        problems.push(`no new revision after the rollback (still ${now.revision})`);
    if (now.status !== 'deployed')
        problems.push(`revision ${now.revision} is ${now.status}, not deployed`);
    if (now.chart !== target.chart)
        problems.push(`revision ${now.revision} runs ${now.chart}, not ${target.chart}`);
    const waited = await waitForRevision(helm, cluster, release, now.revision, {
        timeoutMs: left(),
        clock: opts.clock,
        signal: opts.signal
    });
    if (waited.outcome.result !== 'done')
        problems.push(`objects not ready: ${waited.outcome.message}`);
    if (problems.length)
        return {
            ok: false,
            message: `rollback of release ${release} to revision ${target.revision} not verified: ${problems.join('; ')}`,
            evidence: waited.evidence,
            data
        };
    return {
        ok: true,
        message: `release ${release} back on revision ${target.revision}'s chart ${target.chart} (now revision ${now.revision}, deployed), was revision ${current.revision} (${current.chart}); ${waited.refs.length} objects ready in ${(0,_core_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(waited.outcome.durationMs)}`,
        data: { ...data, objects: waited.refs.map(_kube_types_js__WEBPACK_IMPORTED_MODULE_3__/* .describeRef */ .Ro) }
    };
}


/***/ }),

/***/ 9501:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Eb: () => (/* binding */ key),
/* harmony export */   P9: () => (/* binding */ snapshot),
/* harmony export */   g$: () => (/* binding */ applyInOrder),
/* harmony export */   j7: () => (/* binding */ applyOnceAccountExists),
/* harmony export */   qK: () => (/* binding */ prepareObjects),
/* harmony export */   sj: () => (/* binding */ installOrder)
/* harmony export */ });
/* unused harmony export sanitizeForRestore */
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/* harmony import */ var _labels_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8550);
/* harmony import */ var _secret_values_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9368);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6384);
/* harmony import */ var _wait_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8368);
/**
 * Applying a set of objects: install order, namespace filled in, run labels
 * on metadata, server-side apply as field manager `phase-gate`, and the live
 * state before the apply recorded so an undo can restore it exactly.
 */





// Helm's install order, which respects what depends on what (namespaces and
// CRDs before what lives in them, config before the workloads that mount it).
const INSTALL_ORDER = [
    'Namespace',
    'NetworkPolicy',
    'ResourceQuota',
    'LimitRange',
    'PodSecurityPolicy',
    'PodDisruptionBudget',
    'ServiceAccount',
    'Secret',
    'SecretList',
    'ConfigMap',
    'StorageClass',
    'PersistentVolume',
    'PersistentVolumeClaim',
    'CustomResourceDefinition',
    'ClusterRole',
    'ClusterRoleList',
    'ClusterRoleBinding',
    'ClusterRoleBindingList',
    'Role',
    'RoleList',
    'RoleBinding',
    'RoleBindingList',
    'Service',
    'DaemonSet',
    'Pod',
    'ReplicationController',
    'ReplicaSet',
    'Deployment',
    'HorizontalPodAutoscaler',
    'StatefulSet',
    'Job',
    'CronJob',
    'IngressClass',
    'Ingress',
    'APIService'
];
/** Objects sorted into install order (unknown kinds, custom resources included, last, stable). */
function installOrder(items) {
    const rank = (o) => {
        const kind = 'object' in o && o.object
            ? o.object.kind
            : o.kind;
        const i = INSTALL_ORDER.indexOf(kind);
        return i < 0 ? INSTALL_ORDER.length : i;
    };
    return items
        .map((o, i) => ({ o, i }))
        .sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i)
        .map(x => x.o);
}
/** Fields the server owns, dropped from a recorded snapshot so it can be re-applied. */
function sanitizeForRestore(obj) {
    const { metadata, ...rest } = obj;
    const { uid: _uid, resourceVersion: _rv, generation: _gen, creationTimestamp: _ct, managedFields: _mf, deletionTimestamp: _dt, ...meta } = metadata;
    delete meta.selfLink;
    const out = { ...rest, metadata: meta };
    delete out.status;
    return out;
}
/** Prepares objects for apply: namespace for namespaced kinds, run labels on metadata. */
async function prepareObjects(cluster, objects, namespace, labels) {
    return Promise.all(objects.map(async (o) => {
        (0,_secret_values_js__WEBPACK_IMPORTED_MODULE_1__/* .registerSecretValues */ .o)(o);
        const info = await cluster.resourceFor(o.apiVersion, o.kind);
        // Unknown kinds (a CRD the same phase installs) are assumed namespaced like most custom resources.
        const namespaced = info
            ? info.namespaced
            : o.kind !== 'Namespace' && o.kind !== 'CustomResourceDefinition';
        const withNs = namespaced && !o.metadata.namespace ? { ...o, metadata: { ...o.metadata, namespace } } : o;
        return (0,_labels_js__WEBPACK_IMPORTED_MODULE_4__/* .withRunLabels */ .vJ)(withNs, labels);
    }));
}
/** Reads the live state of each object before an apply (undefined where it does not exist). */
async function snapshot(cluster, objects) {
    return Promise.all(objects.map(async (o) => {
        const ref = (0,_types_js__WEBPACK_IMPORTED_MODULE_2__/* .refOf */ .H8)(o);
        let live;
        try {
            live = await cluster.get(ref);
        }
        catch (err) {
            // A kind the server does not serve yet (its CRD comes in this phase) cannot exist yet.
            if (!(err instanceof _types_js__WEBPACK_IMPORTED_MODULE_2__/* .KubeApiError */ .W3 && err.reason === 'NotServed'))
                throw err;
        }
        // What a restore would put back is as secret as what the phase applies.
        (0,_secret_values_js__WEBPACK_IMPORTED_MODULE_1__/* .registerSecretValues */ .o)(o);
        (0,_secret_values_js__WEBPACK_IMPORTED_MODULE_1__/* .registerSecretValues */ .o)(live);
        return {
            ref,
            created: live === undefined,
            before: live ? sanitizeForRestore(live) : undefined,
            kept: (0,_labels_js__WEBPACK_IMPORTED_MODULE_4__/* .isKept */ .t8)(o)
        };
    }));
}
/** Server-side applies objects in install order, stopping at the first rejection. */
async function applyInOrder(cluster, objects, records, opts = {}) {
    const byKey = new Map(records.map(r => [key(r.ref), r]));
    const applied = [];
    for (const o of installOrder(objects)) {
        if (opts.signal?.aborted)
            break;
        const rec = byKey.get(key((0,_types_js__WEBPACK_IMPORTED_MODULE_2__/* .refOf */ .H8)(o))) ?? { ref: (0,_types_js__WEBPACK_IMPORTED_MODULE_2__/* .refOf */ .H8)(o), created: true, kept: (0,_labels_js__WEBPACK_IMPORTED_MODULE_4__/* .isKept */ .t8)(o) };
        try {
            rec.after = await applyOnceAccountExists(cluster, o, opts);
            applied.push(rec);
            opts.onApplied?.(rec);
            // A CRD applied in this phase must be served before its custom resources are applied.
            if (o.kind === 'CustomResourceDefinition' && 'invalidateDiscovery' in cluster)
                cluster.invalidateDiscovery();
        }
        catch (err) {
            return {
                applied,
                failed: {
                    ref: (0,_types_js__WEBPACK_IMPORTED_MODULE_2__/* .refOf */ .H8)(o),
                    message: `${(0,_types_js__WEBPACK_IMPORTED_MODULE_2__/* .describeRef */ .Ro)(o)} was rejected: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`,
                    status: err instanceof _types_js__WEBPACK_IMPORTED_MODULE_2__/* .KubeApiError */ .W3 ? err.status : undefined
                }
            };
        }
    }
    return { applied };
}
// The ServiceAccount admission plugin rejects a Pod whose account does not exist. A namespace
// created moments ago has no `default` account yet: the controller-manager is about to create
// it. That rejection is a race, not a verdict, so the object is applied again once the account
// exists, within this bound; any other account is the plan's to create, and its rejection stands.
const DEFAULT_ACCOUNT_WAIT_MS = 30_000;
const MISSING_DEFAULT_ACCOUNT = /error looking up service account ([^/\s]+)\/default: serviceaccount "default" not found/;
/** Applies `o`; a Pod refused only because its namespace's `default` account is not made yet is applied again once it is. */
async function applyOnceAccountExists(cluster, o, opts) {
    try {
        return await cluster.apply(o, { dryRun: opts.dryRun });
    }
    catch (err) {
        const ns = err instanceof _types_js__WEBPACK_IMPORTED_MODULE_2__/* .KubeApiError */ .W3 && err.status === 403
            ? MISSING_DEFAULT_ACCOUNT.exec(err.message)?.[1]
            : undefined;
        if (!ns)
            throw err;
        const account = { apiVersion: 'v1', kind: 'ServiceAccount', namespace: ns, name: 'default' };
        const waited = await (0,_wait_js__WEBPACK_IMPORTED_MODULE_3__/* .waitForObjects */ .Ld)(cluster, [account], {
            until: obj => (obj ? 'done' : 'pending'),
            timeoutMs: DEFAULT_ACCOUNT_WAIT_MS,
            signal: opts.signal
        });
        if (waited.result !== 'done')
            throw err;
        return cluster.apply(o, { dryRun: opts.dryRun });
    }
}
/** `apiVersion/kind/namespace/name`, a map key. */
function key(ref) {
    return `${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}


/***/ }),

/***/ 4229:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  z$: () => (/* binding */ asInfraError),
  bp: () => (/* binding */ connectCluster),
  zs: () => (/* binding */ isInfraStatus)
});

// UNUSED EXPORTS: FIELD_MANAGER, KubeCluster, describeRef, isInfraFailure

// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
;// CONCATENATED MODULE: ./src/kube/discovery.ts
/**
 * API discovery: aggregated discovery (apidiscovery.k8s.io/v2, two requests
 * for the whole surface) where the server offers it, per-group discovery
 * otherwise.
 */
const AGGREGATED_ACCEPT = [
    'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
    'application/json'
].join(',');
/** Discovers the whole API surface in as few round trips as the server allows. */
async function discoverApi(t) {
    const before = t.requests;
    // Parsed inside the transport: a truncated or non-JSON answer is retried like any fault.
    const [coreDoc, groupsDoc] = await Promise.all([
        t.json({ path: '/api', accept: AGGREGATED_ACCEPT }),
        t.json({ path: '/apis', accept: AGGREGATED_ACCEPT })
    ]);
    if (coreDoc.kind === 'APIGroupDiscoveryList' && groupsDoc.kind === 'APIGroupDiscoveryList') {
        const surface = fromAggregated([coreDoc, groupsDoc]);
        return { ...surface, aggregated: true, requests: t.requests - before };
    }
    const surface = await fromPerGroup(t, coreDoc, groupsDoc);
    return { ...surface, aggregated: false, requests: t.requests - before };
}
function fromAggregated(lists) {
    const resources = [];
    const groups = new Map();
    for (const list of lists) {
        for (const g of list.items ?? []) {
            const group = g.metadata?.name ?? '';
            const versions = (g.versions ?? []).map(v => v.version);
            // Aggregated discovery lists versions in preference order.
            groups.set(group, { preferred: versions[0] ?? '', versions });
            for (const v of g.versions ?? []) {
                for (const r of v.resources ?? []) {
                    if (!r.responseKind?.kind)
                        continue;
                    resources.push({
                        group,
                        version: v.version,
                        kind: r.responseKind.kind,
                        resource: r.resource,
                        namespaced: r.scope === 'Namespaced',
                        verbs: r.verbs ?? [],
                        subresources: (r.subresources ?? []).map(s => s.subresource),
                        shortNames: r.shortNames
                    });
                }
            }
        }
    }
    return { resources, groups };
}
async function fromPerGroup(t, core, apis) {
    const groups = new Map();
    const paths = [];
    const coreVersions = core.versions ?? ['v1'];
    groups.set('', { preferred: coreVersions[0], versions: coreVersions });
    for (const v of coreVersions)
        paths.push({ group: '', version: v, path: `/api/${v}` });
    for (const g of apis.groups ?? []) {
        const versions = g.versions.map(v => v.version);
        const preferred = g.preferredVersion?.version ?? versions[0];
        groups.set(g.name, {
            preferred,
            versions: [preferred, ...versions.filter(v => v !== preferred)]
        });
        for (const v of versions)
            paths.push({ group: g.name, version: v, path: `/apis/${g.name}/${v}` });
    }
    const lists = await Promise.all(paths.map(async (p) => {
        try {
            return { ...p, list: await t.json({ path: p.path }) };
        }
        catch {
            // A broken aggregated API (metrics-server down, say) must not hide the rest.
            return { ...p, list: undefined };
        }
    }));
    const resources = [];
    for (const { group, version, list } of lists) {
        if (!list)
            continue;
        const subs = new Map();
        for (const r of list.resources) {
            const i = r.name.indexOf('/');
            if (i > 0)
                subs.set(r.name.slice(0, i), [...(subs.get(r.name.slice(0, i)) ?? []), r.name.slice(i + 1)]);
        }
        for (const r of list.resources) {
            if (r.name.includes('/'))
                continue;
            resources.push({
                group,
                version,
                kind: r.kind,
                resource: r.name,
                namespaced: r.namespaced,
                verbs: r.verbs ?? [],
                subresources: subs.get(r.name) ?? [],
                shortNames: r.shortNames
            });
        }
    }
    return { resources, groups };
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
// EXTERNAL MODULE: ./src/kube/types.ts
var types = __webpack_require__(6384);
// EXTERNAL MODULE: ./src/core/secrets.ts
var secrets = __webpack_require__(8198);
// EXTERNAL MODULE: ./src/core/clock.ts
var clock = __webpack_require__(2257);
// EXTERNAL MODULE: ./src/core/retry.ts
var retry = __webpack_require__(7253);
;// CONCATENATED MODULE: ./src/kube/http.ts
/**
 * The HTTP transport to one API server: keep-alive connections, TLS from the
 * kubeconfig, auth headers per request, Kubernetes `Status` errors turned into
 * KubeApiError, newline-delimited streams for watches, and bounded retries
 * (exponential backoff with jitter, honouring Retry-After) of requests that
 * are safe to repeat.
 */






// Answers a healthy apiserver (or a proxy in front of it) gives while busy or restarting.
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
/** Why a failed request may be sent again, or undefined when its answer stands. */
function retryDecision(err, idempotent) {
    if (!(err instanceof types/* KubeApiError */.W3))
        return undefined;
    const retryAfterMs = err.retryAfterMs;
    // A 429 from the apiserver's priority and fairness means the request was not served: safe for any method.
    if (err.status === 429)
        return { reason: `HTTP 429${err.reason ? ` ${err.reason}` : ''}`, retryAfterMs };
    // A refused connection never reached the server.
    if (err.transport && err.reason === 'ECONNREFUSED')
        return { reason: 'connection refused' };
    if (!idempotent)
        return undefined;
    // A certificate the CA does not vouch for will not change on the next attempt.
    if (err.transport && isTlsFailure(err.reason))
        return undefined;
    if (err.transport)
        return { reason: err.reason ?? 'transport error' };
    if (RETRY_STATUSES.has(err.status))
        return { reason: `HTTP ${err.status}${err.reason ? ` ${err.reason}` : ''}`, retryAfterMs };
    // A body cut short or an HTML page from a proxy: the next attempt may get the real answer.
    if (err.reason === 'MalformedResponse')
        return { reason: 'malformed answer' };
    return undefined;
}
/** True for Node's TLS verification error codes (the server's certificate, not the network). */
function isTlsFailure(code) {
    return (code !== undefined &&
        (/^(CERT_|ERR_TLS_CERT|ERR_SSL_)/.test(code) ||
            [
                'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
                'UNABLE_TO_GET_ISSUER_CERT',
                'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
                'SELF_SIGNED_CERT_IN_CHAIN',
                'DEPTH_ZERO_SELF_SIGNED_CERT'
            ].includes(code)));
}
/** One keep-alive transport to one API server. */
class KubeTransport {
    conn;
    retry;
    agent;
    url;
    /** Requests sent, for benchmarks and the discovery round-trip count. */
    requests = 0;
    /** Requests sent again after a retryable failure. */
    retries = 0;
    constructor(conn, retry = {}) {
        this.conn = conn;
        this.retry = retry;
        this.url = new URL(conn.server);
        const common = { keepAlive: true, maxSockets: 32, keepAliveMsecs: 10_000 };
        this.agent =
            this.url.protocol === 'https:'
                ? new (external_node_https_default()).Agent({
                    ...common,
                    ca: conn.ca,
                    cert: conn.cert,
                    key: conn.key,
                    rejectUnauthorized: !conn.insecureSkipTlsVerify,
                    servername: conn.tlsServerName
                })
                : new (external_node_http_default()).Agent(common);
    }
    /** Frees the keep-alive sockets so the process can exit. */
    close() {
        this.agent.destroy();
    }
    buildPath(path, query) {
        const base = this.url.pathname.replace(/\/+$/, '');
        const qs = new URLSearchParams();
        for (const [k, v] of Object.entries(query ?? {}))
            if (v !== undefined)
                qs.set(k, String(v));
        const q = qs.toString();
        return `${base}${path}${q ? `?${q}` : ''}`;
    }
    async open(opts) {
        const headers = {
            Accept: opts.accept ?? 'application/json',
            'User-Agent': 'phase-gate',
            ...(await this.conn.authHeaders())
        };
        let payload;
        if (opts.body !== undefined) {
            payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
            headers['Content-Type'] = opts.contentType ?? 'application/json';
            headers['Content-Length'] = String(Buffer.byteLength(payload));
        }
        const mod = this.url.protocol === 'https:' ? (external_node_https_default()) : (external_node_http_default());
        this.requests++;
        return new Promise((resolve, reject) => {
            const req = mod.request({
                protocol: this.url.protocol,
                hostname: this.url.hostname,
                port: this.url.port,
                method: opts.method ?? 'GET',
                path: this.buildPath(opts.path, opts.query),
                headers,
                agent: this.agent,
                signal: opts.signal
            }, resolve);
            if (opts.timeoutMs) {
                req.setTimeout(opts.timeoutMs, () => {
                    req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`));
                });
            }
            req.on('error', err => reject(this.transportError(err, opts)));
            req.end(payload);
        });
    }
    transportError(err, opts) {
        if (err.name === 'AbortError')
            return err;
        const what = err.code === 'ECONNREFUSED'
            ? 'connection refused'
            : err.code === 'ECONNRESET'
                ? 'connection reset'
                : err.code === 'ENOTFOUND'
                    ? 'host not found'
                    : err.message;
        return new types/* KubeApiError */.W3((0,secrets/* redact */.E$)(`cannot reach the API server ${this.conn.server} (context "${this.conn.context}") for ${opts.method ?? 'GET'} ${opts.path}: ${what}`), 0, err.code ?? 'TransportError', undefined, true);
    }
    /** Sends a request, again on a retryable failure, and parses its answer; the last error names the retries. */
    async send(opts, parse) {
        const method = (opts.method ?? 'GET').toUpperCase();
        const idempotent = opts.idempotent ?? method !== 'POST';
        try {
            const r = await (0,retry/* withRetry */.bD)(async () => parse(await this.once(opts)), {
                maxRetries: this.retry.maxRetries ?? 4,
                baseDelayMs: this.retry.baseDelayMs ?? 250,
                maxDelayMs: this.retry.maxDelayMs ?? 5000,
                maxRetryAfterMs: this.retry.maxRetryAfterMs ?? 30_000,
                clock: this.retry.clock ?? clock/* systemClock */.m,
                random: this.retry.random,
                signal: opts.signal,
                retryError: err => {
                    if (opts.signal?.aborted)
                        return undefined;
                    if (opts.noRetry && !(err instanceof types/* KubeApiError */.W3 && err.transport))
                        return undefined;
                    return retryDecision(err, idempotent);
                },
                onRetry: () => void this.retries++
            });
            return r.value;
        }
        catch (err) {
            if (!(err instanceof retry/* RetryError */.J_))
                throw err;
            const cause = err.cause;
            if (!(cause instanceof types/* KubeApiError */.W3))
                throw cause;
            // The same error, saying how hard we tried, so a report names the fault and the retries.
            const out = new types/* KubeApiError */.W3(`${cause.message} (after ${err.retries} ${err.retries === 1 ? 'retry' : 'retries'})`, cause.status, cause.reason, cause.details, cause.transport);
            Object.assign(out, { retries: err.retries });
            throw out;
        }
    }
    /** A request whose whole body is read; non-2xx answers become KubeApiError. Retried when safe. */
    request(opts) {
        return this.send(opts, res => res);
    }
    async once(opts) {
        const res = await this.open(opts);
        const chunks = [];
        try {
            for await (const c of res)
                chunks.push(c);
        }
        catch (err) {
            throw this.transportError(err, opts);
        }
        const body = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300)
            throw this.statusError(status, body, opts, res.headers);
        return { status, headers: res.headers, body };
    }
    /** A request answered with JSON; an answer that is not JSON is a MalformedResponse (retried like a fault). */
    json(opts) {
        return this.send(opts, res => parseJson(res, opts));
    }
    /** A streaming request: calls onLine for each newline-delimited line until the stream ends. */
    async stream(opts, onLine) {
        const res = await this.open(opts);
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
            const chunks = [];
            for await (const c of res)
                chunks.push(c);
            throw this.statusError(status, Buffer.concat(chunks).toString('utf8'), opts, res.headers);
        }
        let buf = '';
        try {
            for await (const chunk of res) {
                buf += chunk.toString('utf8');
                let nl;
                while ((nl = buf.indexOf('\n')) >= 0) {
                    const line = buf.slice(0, nl).trim();
                    buf = buf.slice(nl + 1);
                    if (line)
                        onLine(line);
                }
            }
        }
        catch (err) {
            if (opts.signal?.aborted)
                return;
            // An ERROR event (410 Gone, say) raised by onLine is the server's answer, not a transport fault.
            if (err instanceof types/* KubeApiError */.W3)
                throw err;
            throw this.transportError(err, opts);
        }
        if (buf.trim())
            onLine(buf.trim());
    }
    statusError(status, body, opts, headers) {
        let message;
        let reason;
        let details;
        try {
            const s = JSON.parse(body);
            message = s.message ?? '';
            reason = s.reason;
            details = s.details;
        }
        catch {
            const type = headers['content-type'] ?? 'none';
            message = `unexpected ${type} answer: ${body.replace(/\s+/g, ' ').slice(0, 200)}`;
        }
        const retryAfter = headers['retry-after'];
        const why = reason ?? (external_node_http_default()).STATUS_CODES[status]?.replace(/\s+/g, '');
        // A server or proxy fault is named by its status, whatever words came with it.
        const fault = (status === 429 || status >= 500) && message && !message.includes(String(status));
        const err = new types/* KubeApiError */.W3((0,secrets/* redact */.E$)(message
            ? `${message}${fault ? ` (HTTP ${status}${why ? ` ${why}` : ''} for ${opts.method ?? 'GET'} ${opts.path})` : ''}`
            : `HTTP ${status} for ${opts.method ?? 'GET'} ${opts.path}`), status, why, details);
        const retryAfterMs = (0,retry/* parseRetryAfter */.mu)(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
        if (retryAfterMs !== undefined)
            Object.assign(err, { retryAfter: retryAfterMs / 1000, retryAfterMs });
        return err;
    }
}
/** The JSON body of an answer, or a KubeApiError naming what came instead. */
function parseJson(res, opts) {
    try {
        return JSON.parse(res.body);
    }
    catch {
        throw new types/* KubeApiError */.W3(`the API server answered ${opts.method ?? 'GET'} ${opts.path} with something that is not JSON (content-type ${res.headers['content-type'] ?? 'none'}): ${(0,secrets/* redact */.E$)(res.body.replace(/\s+/g, ' ').slice(0, 200))}`, res.status, 'MalformedResponse');
    }
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/kube/kubeconfig.ts
/**
 * Kubeconfig loading. The common cases (token, client certificate, basic auth,
 * CA data or file) are read here directly, which keeps the CLI's start fast;
 * exec credential plugins and auth providers are delegated to
 * `@kubernetes/client-node`, loaded only when a kubeconfig needs it.
 */






/** Where to read the kubeconfig from: an explicit path, else $KUBECONFIG (first file that has the context), else ~/.kube/config. */
function kubeconfigPaths(explicit) {
    if (explicit)
        return [explicit];
    const env = process.env.KUBECONFIG;
    if (env)
        return env.split(external_node_path_.delimiter).filter(Boolean);
    return [(0,external_node_path_.resolve)((0,external_node_os_.homedir)(), '.kube', 'config')];
}
function readKubeconfig(path) {
    let text;
    try {
        text = (0,external_node_fs_.readFileSync)(path, 'utf8');
    }
    catch (err) {
        throw new errors/* UsageError */.eb(`cannot read kubeconfig ${path}: ${(0,errors/* errorMessage */.gJ)(err)}; pass --kubeconfig PATH or set KUBECONFIG`);
    }
    let doc;
    try {
        doc = (0,dist/* parse */.qg)(text, { maxAliasCount: 50 });
    }
    catch (err) {
        throw new errors/* UsageError */.eb(`kubeconfig ${path} is not valid YAML: ${(0,errors/* errorMessage */.gJ)(err)}`);
    }
    if (!doc || typeof doc !== 'object')
        throw new errors/* UsageError */.eb(`kubeconfig ${path} is empty`);
    return doc;
}
/** Merges kubeconfig files the way kubectl does: the first file to set a name wins. */
function mergeKubeconfigs(paths) {
    const merged = {
        clusters: [],
        users: [],
        contexts: []
    };
    const sourceOf = new Map();
    for (const p of paths) {
        if (paths.length > 1 && !(0,external_node_fs_.existsSync)(p))
            continue;
        const k = readKubeconfig(p);
        merged['current-context'] ??= k['current-context'];
        for (const c of k.clusters ?? [])
            if (!merged.clusters.some(x => x.name === c.name)) {
                merged.clusters.push(c);
                sourceOf.set(`cluster:${c.name}`, p);
            }
        for (const u of k.users ?? [])
            if (!merged.users.some(x => x.name === u.name)) {
                merged.users.push(u);
                sourceOf.set(`user:${u.name}`, p);
            }
        for (const c of k.contexts ?? [])
            if (!merged.contexts.some(x => x.name === c.name))
                merged.contexts.push(c);
    }
    return { merged, sourceOf };
}
function fileOrData(base, file, data) {
    if (data)
        return Buffer.from(data, 'base64');
    if (file)
        return (0,external_node_fs_.readFileSync)((0,external_node_path_.isAbsolute)(file) ? file : (0,external_node_path_.resolve)(base, file));
    return undefined;
}
/** Resolves a kubeconfig and context into a Connection, registering every credential as a secret. */
async function loadConnection(opts) {
    const paths = kubeconfigPaths(opts.path);
    const { merged, sourceOf } = mergeKubeconfigs(paths);
    const source = paths.join(external_node_path_.delimiter);
    const contextName = opts.context ?? merged['current-context'];
    if (!contextName)
        throw new errors/* UsageError */.eb(`kubeconfig ${source} has no current context; pass --context NAME (contexts: ${names(merged.contexts)})`);
    const ctx = merged.contexts?.find(c => c.name === contextName);
    if (!ctx)
        throw new errors/* UsageError */.eb(`context "${contextName}" is not in kubeconfig ${source}; contexts there: ${names(merged.contexts)}. Pass --context with one of them, or fix target.context in the plan`);
    const clusterName = ctx.context?.cluster ?? '';
    const userName = ctx.context?.user ?? '';
    const cluster = merged.clusters?.find(c => c.name === clusterName)?.cluster;
    if (!cluster?.server)
        throw new errors/* UsageError */.eb(`context "${contextName}" names cluster "${clusterName}", which kubeconfig ${source} does not define with a server`);
    const user = merged.users?.find(u => u.name === userName)?.user ?? {};
    const clusterBase = (0,external_node_path_.dirname)(sourceOf.get(`cluster:${clusterName}`) ?? paths[0]);
    const userBase = (0,external_node_path_.dirname)(sourceOf.get(`user:${userName}`) ?? paths[0]);
    let ca;
    let cert;
    let key;
    try {
        ca = fileOrData(clusterBase, cluster['certificate-authority'], cluster['certificate-authority-data']);
        cert = fileOrData(userBase, user['client-certificate'], user['client-certificate-data']);
        key = fileOrData(userBase, user['client-key'], user['client-key-data']);
    }
    catch (err) {
        throw new errors/* UsageError */.eb(`context "${contextName}": cannot read a certificate or key: ${(0,errors/* errorMessage */.gJ)(err)}`);
    }
    if (key)
        (0,secrets/* registerSecret */.cl)(key.toString('utf8'));
    if (user['client-key-data'])
        (0,secrets/* registerSecret */.cl)(user['client-key-data']);
    if (user.token)
        (0,secrets/* registerSecret */.cl)(user.token);
    if (user.password)
        (0,secrets/* registerSecret */.cl)(user.password);
    let authHeaders;
    if (user.exec || user['auth-provider']) {
        const plugin = await pluginAuth(user, userName, contextName);
        authHeaders = plugin.headers;
        cert ??= plugin.cert;
        key ??= plugin.key;
    }
    else if (user.token || user.tokenFile) {
        const tokenFile = user.tokenFile;
        const staticToken = user.token;
        authHeaders = async () => {
            const token = staticToken ?? (0,external_node_fs_.readFileSync)((0,external_node_path_.resolve)(userBase, tokenFile ?? ''), 'utf8').trim();
            (0,secrets/* registerSecret */.cl)(token);
            return { Authorization: `Bearer ${token}` };
        };
    }
    else if (user.username && user.password) {
        const basic = Buffer.from(`${user.username}:${user.password}`).toString('base64');
        (0,secrets/* registerSecret */.cl)(basic);
        authHeaders = async () => ({ Authorization: `Basic ${basic}` });
    }
    else {
        authHeaders = async () => ({});
    }
    return {
        context: contextName,
        cluster: clusterName,
        user: userName,
        server: cluster.server.replace(/\/+$/, ''),
        namespace: ctx.context?.namespace,
        ca,
        cert,
        key,
        insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
        tlsServerName: cluster['tls-server-name'],
        authHeaders,
        source
    };
}
function names(list) {
    return (list ?? []).map(c => c.name).join(', ') || 'none';
}
/**
 * Exec credential plugins, delegated to @kubernetes/client-node's ExecAuth
 * (imported on its own, not through the package index, which loads every
 * generated API model: a plugin user pays milliseconds, not a second).
 */
async function pluginAuth(user, userName, context) {
    const provider = user['auth-provider'];
    const clientUser = { name: userName, exec: user.exec, authProvider: provider };
    // kubectl dropped its built-in auth providers (azure, gcp, oidc) in 1.26 for exec plugins; so do we.
    if (!user.exec && provider?.name !== 'exec')
        throw new errors/* UsageError */.eb(`context "${context}": auth provider "${provider?.name}" is not supported; use an exec credential plugin (kubelogin, gke-gcloud-auth-plugin, aws eks get-token) as kubectl does since 1.26`);
    const { ExecAuth } = await __webpack_require__.e(/* import() */ 497).then(__webpack_require__.bind(__webpack_require__, 3497));
    const auth = new ExecAuth();
    const apply = async () => {
        const opts = { headers: {} };
        try {
            await auth.applyAuthentication(clientUser, opts);
        }
        catch (err) {
            throw new errors/* InfraError */.Ri(`the credential plugin of context "${context}" failed: ${(0,errors/* errorMessage */.gJ)(err)}`, 'run the plugin command by hand to see its error, or use a kubeconfig with a token');
        }
        const bearer = opts.headers.Authorization;
        if (bearer)
            (0,secrets/* registerSecret */.cl)(bearer.replace(/^Bearer\s+/i, ''));
        return opts;
    };
    // A plugin may answer with a client certificate instead of a token: the TLS agent needs it up front.
    const first = await apply();
    const asBuffer = (v) => v === undefined ? undefined : Buffer.isBuffer(v) ? v : Buffer.from(String(v));
    const key = asBuffer(first.key);
    if (key)
        (0,secrets/* registerSecret */.cl)(key.toString('utf8'));
    return { headers: async () => (await apply()).headers, cert: asBuffer(first.cert), key };
}

;// CONCATENATED MODULE: ./src/kube/client.ts
/**
 * The real `Cluster`: a kubeconfig context reached over keep-alive HTTPS.
 * Paths come from discovery, so custom resources work like built-in ones.
 */





/** The field manager every server-side apply uses. */
const FIELD_MANAGER = 'phase-gate';
/** Connects to a kubeconfig context (no request is made until the first call). */
async function connectCluster(opts = {}) {
    const conn = await loadConnection({ path: opts.kubeconfigPath, context: opts.context });
    return new KubeCluster(new KubeTransport(conn, opts.retry), opts.timeoutMs ?? 30_000);
}
/** The live cluster over its API server. */
class KubeCluster {
    transport;
    timeoutMs;
    surface;
    serverVersion;
    constructor(transport, timeoutMs) {
        this.transport = transport;
        this.timeoutMs = timeoutMs;
    }
    get context() {
        return this.transport.conn.context;
    }
    get server() {
        return this.transport.conn.server;
    }
    get defaultNamespace() {
        return this.transport.conn.namespace;
    }
    /** Requests sent so far. */
    get requestCount() {
        return this.transport.requests;
    }
    /** Requests sent again after a retryable failure (429, 5xx, reset, timeout, malformed answer). */
    get retryCount() {
        return this.transport.retries;
    }
    /** Releases keep-alive sockets. */
    close() {
        this.transport.close();
    }
    req(opts) {
        return this.transport.json({ timeoutMs: this.timeoutMs, ...opts });
    }
    version() {
        this.serverVersion ??= this.req({
            path: '/version'
        }).then(v => ({
            gitVersion: v.gitVersion,
            major: parseInt(v.major, 10),
            minor: parseInt(v.minor, 10)
        }));
        this.serverVersion.catch(() => (this.serverVersion = undefined));
        return this.serverVersion;
    }
    discover() {
        this.surface ??= discoverApi(this.transport);
        this.surface.catch(() => (this.surface = undefined));
        return this.surface;
    }
    /** Forgets the cached discovery (after a CRD was installed). */
    invalidateDiscovery() {
        this.surface = undefined;
    }
    async resourceFor(apiVersion, kind) {
        const { group, version } = (0,types/* splitApiVersion */.Np)(apiVersion);
        const find = (s) => s.resources.find(r => r.group === group && r.version === version && r.kind === kind);
        const hit = find(await this.discover());
        if (hit)
            return hit;
        // A CRD may have been established since discovery was cached.
        this.invalidateDiscovery();
        return find(await this.discover());
    }
    async info(apiVersion, kind) {
        const r = await this.resourceFor(apiVersion, kind);
        if (!r)
            throw new types/* KubeApiError */.W3(`the cluster does not serve ${kind} in ${apiVersion} (no such resource in discovery)`, 404, 'NotServed');
        return r;
    }
    collectionPath(r, namespace) {
        const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
        if (r.namespaced && namespace)
            return `${base}/namespaces/${encodeURIComponent(namespace)}/${r.resource}`;
        return `${base}/${r.resource}`;
    }
    objectPath(r, name, namespace) {
        if (r.namespaced && !namespace)
            throw new errors/* UsageError */.eb(`${r.kind} ${name} is namespaced but no namespace was given`);
        return `${this.collectionPath(r, namespace)}/${encodeURIComponent(name)}`;
    }
    async get(ref) {
        const r = await this.info(ref.apiVersion, ref.kind);
        try {
            return await this.req({ path: this.objectPath(r, ref.name, ref.namespace) });
        }
        catch (err) {
            if (err instanceof types/* KubeApiError */.W3 && err.status === 404)
                return undefined;
            throw err;
        }
    }
    async list(apiVersion, kind, opts = {}) {
        const r = await this.info(apiVersion, kind);
        const items = [];
        let cont;
        let resourceVersion;
        do {
            const page = await this.req({
                path: this.collectionPath(r, opts.namespace),
                query: {
                    labelSelector: opts.labelSelector,
                    fieldSelector: opts.fieldSelector,
                    limit: opts.limit ?? 500,
                    continue: cont
                }
            });
            // Lists omit apiVersion/kind on items; put them back so objects are self-describing.
            for (const item of page.items ?? [])
                items.push({ ...item, apiVersion, kind });
            resourceVersion = page.metadata.resourceVersion;
            cont = page.metadata.continue || undefined;
        } while (cont && (!opts.limit || items.length < opts.limit));
        return { items, resourceVersion };
    }
    async watch(apiVersion, kind, opts, onEvent) {
        const r = await this.info(apiVersion, kind);
        await this.transport.stream({
            path: this.collectionPath(r, opts.namespace),
            query: {
                watch: 1,
                resourceVersion: opts.resourceVersion,
                allowWatchBookmarks: opts.allowBookmarks ?? true,
                labelSelector: opts.labelSelector,
                fieldSelector: opts.fieldSelector,
                timeoutSeconds: opts.timeoutSeconds ?? 300
            },
            signal: opts.signal
        }, line => {
            let ev;
            try {
                ev = JSON.parse(line);
            }
            catch {
                throw new types/* KubeApiError */.W3(`malformed watch event: ${line.slice(0, 120)}`, 0, 'MalformedResponse', undefined, true);
            }
            if (ev.type === 'ERROR') {
                const status = ev.object;
                throw new types/* KubeApiError */.W3(status.message ?? 'watch error', status.code ?? 500, status.reason);
            }
            if (ev.object && ev.type !== 'BOOKMARK') {
                ev.object.apiVersion ??= apiVersion;
                ev.object.kind ??= kind;
            }
            onEvent(ev);
        });
    }
    async apply(obj, opts = {}) {
        const r = await this.info(obj.apiVersion, obj.kind);
        return this.req({
            method: 'PATCH',
            path: this.objectPath(r, obj.metadata.name, obj.metadata.namespace),
            query: {
                fieldManager: opts.fieldManager ?? FIELD_MANAGER,
                force: opts.force ?? true,
                dryRun: opts.dryRun ? 'All' : undefined
            },
            contentType: 'application/apply-patch+yaml',
            body: obj
        });
    }
    async create(obj, opts = {}) {
        const r = await this.info(obj.apiVersion, obj.kind);
        return this.req({
            method: 'POST',
            path: this.collectionPath(r, obj.metadata?.namespace),
            query: { dryRun: opts.dryRun ? 'All' : undefined, fieldManager: FIELD_MANAGER },
            body: obj,
            // A dry-run create changes nothing; a real one must not be sent twice.
            idempotent: opts.dryRun === true
        });
    }
    async replace(obj, opts = {}) {
        const r = await this.info(obj.apiVersion, obj.kind);
        return this.req({
            method: 'PUT',
            path: this.objectPath(r, obj.metadata.name, obj.metadata.namespace),
            query: { dryRun: opts.dryRun ? 'All' : undefined, fieldManager: FIELD_MANAGER },
            body: obj
        });
    }
    async mergePatch(ref, patch, opts = {}) {
        const r = await this.info(ref.apiVersion, ref.kind);
        const path = this.objectPath(r, ref.name, ref.namespace) + (opts.subresource ? `/${opts.subresource}` : '');
        return this.req({
            method: 'PATCH',
            path,
            query: { dryRun: opts.dryRun ? 'All' : undefined, fieldManager: FIELD_MANAGER },
            contentType: 'application/merge-patch+json',
            body: patch
        });
    }
    async delete(ref, opts = {}) {
        const r = await this.info(ref.apiVersion, ref.kind);
        try {
            return await this.req({
                method: 'DELETE',
                path: this.objectPath(r, ref.name, ref.namespace),
                query: { dryRun: opts.dryRun ? 'All' : undefined },
                body: {
                    apiVersion: 'v1',
                    kind: 'DeleteOptions',
                    propagationPolicy: opts.propagationPolicy ?? 'Background',
                    gracePeriodSeconds: opts.gracePeriodSeconds,
                    // With a body the apiserver reads DeleteOptions from it and ignores the
                    // query's dryRun: without this a "dry run" deletes for real.
                    dryRun: opts.dryRun ? ['All'] : undefined
                }
            });
        }
        catch (err) {
            if (err instanceof types/* KubeApiError */.W3 && err.status === 404)
                return undefined;
            throw err;
        }
    }
    async accessReview(attrs) {
        const review = await this.req({
            method: 'POST',
            idempotent: true,
            path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
            body: {
                apiVersion: 'authorization.k8s.io/v1',
                kind: 'SelfSubjectAccessReview',
                spec: { resourceAttributes: attrs }
            }
        });
        return { allowed: false, ...review.status };
    }
    async podLogs(namespace, pod, opts = {}) {
        const res = await this.transport.request({
            path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`,
            query: {
                container: opts.container,
                tailLines: opts.tailLines,
                previous: opts.previous || undefined
            },
            accept: '*/*',
            timeoutMs: this.timeoutMs
        });
        return res.body;
    }
    async proxy(req) {
        const started = Date.now();
        const svc = `${req.scheme ? `${req.scheme}:` : ''}${req.service}:${req.port}`;
        const path = `/api/v1/namespaces/${encodeURIComponent(req.namespace)}/services/${encodeURIComponent(svc)}/proxy${req.path.startsWith('/') ? '' : '/'}${req.path}`;
        try {
            const res = await this.transport.request({
                method: req.method ?? 'GET',
                path,
                body: req.body,
                accept: '*/*',
                timeoutMs: req.timeoutMs ?? this.timeoutMs,
                // The workload's answer is what the check judges, 5xx included.
                noRetry: true
            });
            return {
                status: res.status,
                headers: flatHeaders(res.headers),
                body: res.body,
                durationMs: Date.now() - started
            };
        }
        catch (err) {
            // A non-2xx answer is still an answer the check judges.
            if (err instanceof types/* KubeApiError */.W3 && !err.transport && err.status > 0)
                return {
                    status: err.status,
                    headers: {},
                    body: err.message,
                    durationMs: Date.now() - started
                };
            throw err;
        }
    }
}
function flatHeaders(h) {
    const out = {};
    for (const [k, v] of Object.entries(h))
        if (v !== undefined)
            out[k] = Array.isArray(v) ? v.join(', ') : v;
    return out;
}
/**
 * True when a failed request says nothing about the objects or the plan: no
 * answer, the credentials refused, the server shedding load (429) or failing
 * (5xx, except an admission webhook's refusal, which is the cluster's answer).
 */
function isInfraFailure(err) {
    return (err instanceof types/* KubeApiError */.W3 &&
        (err.reason === 'MalformedResponse' || isInfraStatus(err.status, err.message, err.transport)));
}
/**
 * The same judgement from a status and message: status 0 means no answer
 * arrived, and a failure under a 2xx status is an answer that was not the
 * API's (an HTML page from a proxy, a body cut short).
 */
function isInfraStatus(status, message = '', transport = false) {
    if (transport || status === 0)
        return true;
    if (status === undefined)
        return false;
    if (status >= 200 && status < 300)
        return true;
    if (status === 401 || status === 429)
        return true;
    return status >= 500 && !/webhook/.test(message);
}
/** Turns a transport failure into the "could not check" error a gate reports (exit 3). */
function asInfraError(err, cluster) {
    if (err instanceof types/* KubeApiError */.W3 && isInfraFailure(err)) {
        const hint = err.status === 401
            ? `the credentials of context "${cluster.context}" were rejected; refresh the token or kubeconfig`
            : err.transport && isTlsFailure(err.reason)
                ? `the certificate of ${cluster.server} does not verify against the CA of context "${cluster.context}": fix certificate-authority(-data) or tls-server-name of its cluster in the kubeconfig`
                : err.status === 429
                    ? `the API server ${cluster.server} is shedding load (429, Retry-After honoured); re-run when it is less busy`
                    : `check that ${cluster.server} is up and reachable from this runner`;
        return new errors/* InfraError */.Ri(err.message, hint);
    }
    return undefined;
}
/** `Kind ns/name` of a ref, re-exported for callers that only import the client. */



/***/ }),

/***/ 2804:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   V: () => (/* binding */ formatEvidence),
/* harmony export */   m: () => (/* binding */ collectEvidence)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/* harmony import */ var _core_secrets_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8198);
/* harmony import */ var _pod_failures_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4312);
/* harmony import */ var _readiness_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5153);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6384);
/**
 * Evidence for a failed wait: what a person needs to act without opening a
 * terminal on the cluster. The object's kstatus and conditions, its Events,
 * for workloads the current ReplicaSet and Pods (container states, the
 * scheduler's word, their Events) and the last log lines of failing
 * containers. Collecting never throws for a missing piece: what could not be
 * read becomes a note. Every string passes through `redact`.
 */





/** Gathers the evidence about an object (re-read from the cluster) and what it runs. */
async function collectEvidence(cluster, target, opts = {}) {
    const o = {
        logLines: opts.logLines ?? 20,
        maxPods: opts.maxPods ?? 3,
        maxEvents: opts.maxEvents ?? 10,
        now: opts.now ?? Date.now()
    };
    const notes = [];
    const ref = await withNamespace(cluster, 'metadata' in target ? (0,_types_js__WEBPACK_IMPORTED_MODULE_4__/* .refOf */ .H8)(target) : target);
    let obj;
    try {
        obj = await cluster.get(ref);
    }
    catch (err) {
        notes.push(`could not read ${(0,_types_js__WEBPACK_IMPORTED_MODULE_4__/* .describeRef */ .Ro)(ref)}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`);
        // A passed object that came from the cluster (it has a uid) is the best left.
        if ('metadata' in target && target.metadata.uid)
            obj = target;
    }
    const evidence = {
        ref,
        found: obj !== undefined,
        status: (0,_readiness_js__WEBPACK_IMPORTED_MODULE_3__/* .computeStatus */ .ee)(obj, { now: o.now }),
        conditions: obj ? safeConditions(obj) : [],
        events: obj ? await eventsOf(cluster, obj, o.maxEvents, notes) : [],
        pods: [],
        omittedPods: 0,
        notes
    };
    if (!obj)
        return redactAll(evidence);
    let pods = [];
    if (obj.kind === 'Pod') {
        pods = [obj];
    }
    else if (_pod_failures_js__WEBPACK_IMPORTED_MODULE_2__/* .POD_OWNER_KINDS */ .UF.has(obj.kind)) {
        const selector = (0,_pod_failures_js__WEBPACK_IMPORTED_MODULE_2__/* .labelSelectorOf */ .P5)(obj);
        const namespace = obj.metadata.namespace;
        let replicaSets = [];
        if (selector && obj.kind === 'Deployment') {
            replicaSets = await listOrNote(cluster, 'apps/v1', 'ReplicaSet', namespace, selector, notes);
            const rs = (0,_pod_failures_js__WEBPACK_IMPORTED_MODULE_2__/* .currentReplicaSet */ .kw)(obj, replicaSets);
            if (rs) {
                evidence.replicaSet = {
                    ref: (0,_types_js__WEBPACK_IMPORTED_MODULE_4__/* .refOf */ .H8)(rs),
                    status: (0,_readiness_js__WEBPACK_IMPORTED_MODULE_3__/* .computeStatus */ .ee)(rs, { now: o.now }),
                    conditions: safeConditions(rs),
                    events: await eventsOf(cluster, rs, o.maxEvents, notes)
                };
            }
            evidence.failure ??= rs && (0,_pod_failures_js__WEBPACK_IMPORTED_MODULE_2__/* .workloadFailure */ .QC)(rs);
        }
        if (selector) {
            const listed = await listOrNote(cluster, 'v1', 'Pod', namespace, selector, notes);
            pods = (0,_pod_failures_js__WEBPACK_IMPORTED_MODULE_2__/* .currentPods */ .Qc)(obj, listed, replicaSets);
        }
    }
    evidence.failure = (0,_pod_failures_js__WEBPACK_IMPORTED_MODULE_2__/* .workloadFailure */ .QC)(obj) ?? evidence.failure;
    const ranked = pods
        .map(p => ({ pod: p, failure: (0,_pod_failures_js__WEBPACK_IMPORTED_MODULE_2__/* .podFailure */ .MQ)(p, { now: o.now }), rank: rank(p) }))
        .sort((a, b) => a.rank - b.rank || a.pod.metadata.name.localeCompare(b.pod.metadata.name));
    evidence.omittedPods = Math.max(0, ranked.length - o.maxPods);
    for (const { pod, failure } of ranked.slice(0, o.maxPods)) {
        evidence.pods.push(await podEvidence(cluster, pod, failure, o, notes));
    }
    evidence.failure ??= ranked.find(r => r.failure)?.failure;
    return redactAll(evidence);
}
/** Renders evidence as plain text lines (no Markdown), redacted. */
function formatEvidence(e) {
    const lines = [];
    const status = (s) => `${s.status}${s.reason ? ` (${s.reason})` : ''}${s.message ? `: ${s.message}` : ''}`;
    if (!e.found) {
        lines.push(`${(0,_types_js__WEBPACK_IMPORTED_MODULE_4__/* .describeRef */ .Ro)(e.ref)}: not found`);
    }
    else {
        lines.push(`${(0,_types_js__WEBPACK_IMPORTED_MODULE_4__/* .describeRef */ .Ro)(e.ref)}: ${status(e.status)}`);
        if (e.failure)
            lines.push(`  cause: ${e.failure.reason}: ${e.failure.message}`);
        pushConditions(lines, e.conditions);
        pushEvents(lines, e.events);
    }
    if (e.replicaSet) {
        lines.push(`${(0,_types_js__WEBPACK_IMPORTED_MODULE_4__/* .describeRef */ .Ro)(e.replicaSet.ref)}: ${status(e.replicaSet.status)}`);
        pushConditions(lines, e.replicaSet.conditions);
        pushEvents(lines, e.replicaSet.events);
    }
    for (const p of e.pods) {
        // The Pod itself was the object: its header is already out.
        const same = p.ref.kind === e.ref.kind && p.ref.name === e.ref.name;
        if (!same) {
            lines.push(`${(0,_types_js__WEBPACK_IMPORTED_MODULE_4__/* .describeRef */ .Ro)(p.ref)} (phase ${p.phase ?? 'unknown'}, node ${p.node ?? 'none'}): ${status(p.status)}`);
            // Shown once when it is the object's own cause.
            if (p.failure && p.failure.message !== e.failure?.message) {
                lines.push(`  cause: ${p.failure.reason}: ${p.failure.message}`);
            }
        }
        else {
            lines.push(`  phase ${p.phase ?? 'unknown'}, node ${p.node ?? 'none'}`);
        }
        if (p.unscheduled) {
            const u = p.unscheduled;
            lines.push(`  scheduling: PodScheduled=${u.status} ${u.reason ?? ''}${u.message ? `: ${u.message}` : ''}`);
        }
        for (const c of p.containers) {
            const what = `${c.init ? 'init container' : 'container'} ${c.name}${c.image ? ` (image ${c.image})` : ''}`;
            const state = c.state === 'terminated'
                ? `terminated exit ${c.exitCode ?? '?'}${c.reason ? ` ${c.reason}` : ''}`
                : `${c.state}${c.reason ? ` ${c.reason}` : ''}`;
            lines.push(`  ${what}: ${state}${c.message ? `: ${c.message}` : ''}; ready ${c.ready}; restarts ${c.restartCount}`);
            const lt = c.lastTermination;
            if (lt) {
                lines.push(`    last terminated: exit ${lt.exitCode ?? '?'}${lt.reason ? ` ${lt.reason}` : ''}${lt.message ? `: ${lt.message}` : ''}`);
            }
            if (c.logs) {
                const which = c.logs.previous ? 'previous instance' : 'current instance';
                lines.push(`    last ${c.logs.lines.length} log lines of ${c.name} (${which}):`);
                for (const l of c.logs.lines)
                    lines.push(`      | ${l}`);
            }
        }
        pushEvents(lines, p.events);
    }
    if (e.omittedPods > 0) {
        lines.push(`${e.omittedPods} more Pod${e.omittedPods === 1 ? '' : 's'} of the current revision not shown`);
    }
    for (const n of e.notes)
        lines.push(`note: ${n}`);
    return (0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(lines.join('\n'));
}
// ------------------------------------------------------------------ internals
function pushConditions(lines, conditions) {
    for (const c of conditions) {
        lines.push(`  condition ${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''}`);
    }
}
function pushEvents(lines, events) {
    for (const ev of events) {
        const from = ev.source ? ` from ${ev.source}` : '';
        const times = ev.count > 1 ? ` (x${ev.count})` : '';
        lines.push(`  event ${ev.type} ${ev.reason}${times}${from}: ${ev.message}`);
    }
}
/** A namespaced kind without namespace means the context's namespace, as in wait.ts. */
async function withNamespace(cluster, ref) {
    if (ref.namespace)
        return ref;
    try {
        const info = await cluster.resourceFor(ref.apiVersion, ref.kind);
        if (info?.namespaced)
            return { ...ref, namespace: cluster.defaultNamespace ?? 'default' };
    }
    catch {
        // Unknown scope: ask as given.
    }
    return ref;
}
function safeConditions(obj) {
    try {
        return (0,_readiness_js__WEBPACK_IMPORTED_MODULE_3__/* .conditionsOf */ .yb)(obj);
    }
    catch {
        return [];
    }
}
async function listOrNote(cluster, apiVersion, kind, namespace, labelSelector, notes) {
    try {
        return (await cluster.list(apiVersion, kind, { namespace, labelSelector })).items;
    }
    catch (err) {
        notes.push(`could not list ${kind}s (${labelSelector}): ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`);
        return [];
    }
}
/** The object's Events, oldest first, the last `max` of them. */
async function eventsOf(cluster, obj, max, notes) {
    const m = obj.metadata;
    const fieldSelector = m.uid
        ? `involvedObject.uid=${m.uid}`
        : `involvedObject.kind=${obj.kind},involvedObject.name=${m.name}`;
    let items;
    try {
        // Events of cluster-scoped objects live in `default`; listing across namespaces finds them.
        items = (await cluster.list('v1', 'Event', { namespace: m.namespace, fieldSelector })).items;
    }
    catch (err) {
        notes.push(`could not list events of ${(0,_types_js__WEBPACK_IMPORTED_MODULE_4__/* .describeRef */ .Ro)(obj)}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`);
        return [];
    }
    const summaries = items.map(e => {
        const series = rec(e.series);
        const source = rec(e.source);
        return {
            type: str(e.type) ?? 'Normal',
            reason: str(e.reason) ?? '',
            message: (str(e.message) ?? '').trim(),
            count: num(e.count) ?? num(series?.count) ?? 1,
            lastSeen: str(e.lastTimestamp) ??
                str(series?.lastObservedTime) ??
                str(e.eventTime) ??
                str(e.firstTimestamp) ??
                e.metadata.creationTimestamp,
            source: str(source?.component) ?? str(e.reportingComponent) ?? undefined
        };
    });
    summaries.sort((a, b) => (a.lastSeen ?? '').localeCompare(b.lastSeen ?? ''));
    return summaries.slice(-max);
}
/** Failing Pods first, then not-ready ones, then the rest. */
function rank(pod) {
    if ((0,_pod_failures_js__WEBPACK_IMPORTED_MODULE_2__/* .podFailure */ .MQ)(pod))
        return 0;
    const s = (0,_readiness_js__WEBPACK_IMPORTED_MODULE_3__/* .computeStatus */ .ee)(pod);
    return s.status === 'Current' ? 2 : 1;
}
async function podEvidence(cluster, pod, failure, o, notes) {
    const status = rec(pod.status);
    const spec = rec(pod.spec);
    const conditions = safeConditions(pod);
    const scheduled = conditions.find(c => c.type === 'PodScheduled');
    const images = new Map();
    for (const key of ['initContainers', 'containers']) {
        for (const c of arr(spec?.[key])) {
            const r = rec(c);
            if (str(r?.name) && str(r?.image))
                images.set(str(r?.name), str(r?.image));
        }
    }
    const containers = [];
    for (const [key, init] of [
        ['initContainerStatuses', true],
        ['containerStatuses', false]
    ]) {
        for (const raw of arr(status?.[key])) {
            const cs = rec(raw);
            if (!cs)
                continue;
            const name = str(cs.name) ?? '?';
            const state = rec(cs.state);
            const waiting = rec(state?.waiting);
            const running = rec(state?.running);
            const terminated = rec(state?.terminated);
            const last = rec(rec(cs.lastState)?.terminated);
            const c = {
                name,
                init,
                image: str(cs.image) || images.get(name),
                ready: cs.ready === true,
                restartCount: num(cs.restartCount) ?? 0,
                state: waiting ? 'waiting' : running ? 'running' : terminated ? 'terminated' : 'unknown',
                reason: str(waiting?.reason) ?? str(terminated?.reason),
                message: str(waiting?.message) ?? str(terminated?.message),
                exitCode: num(terminated?.exitCode),
                lastTermination: last
                    ? { exitCode: num(last.exitCode), reason: str(last.reason), message: str(last.message) }
                    : undefined
            };
            const wanted = logsWanted(c);
            if (wanted && o.logLines > 0) {
                const where = pod.metadata.namespace ?? 'default';
                const tail = (previous) => cluster.podLogs(where, pod.metadata.name, {
                    container: name,
                    tailLines: o.logLines,
                    previous
                });
                let text;
                let previous = wanted.previous;
                try {
                    text = await tail(previous);
                }
                catch (err) {
                    // The kubelet usually serves a crash-looping container's last run as its
                    // current log too; try that before giving up.
                    if (previous) {
                        previous = false;
                        text = await tail(false).catch(() => undefined);
                    }
                    if (text === undefined)
                        notes.push(`no logs of ${pod.metadata.name}/${name}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`);
                }
                if (text !== undefined) {
                    const lines = text.split('\n');
                    if (lines.at(-1) === '')
                        lines.pop();
                    c.logs = { previous, lines: lines.slice(-o.logLines) };
                }
            }
            containers.push(c);
        }
    }
    return {
        ref: (0,_types_js__WEBPACK_IMPORTED_MODULE_4__/* .refOf */ .H8)(pod),
        phase: str(status?.phase),
        node: str(spec?.nodeName),
        status: (0,_readiness_js__WEBPACK_IMPORTED_MODULE_3__/* .computeStatus */ .ee)(pod, { now: o.now }),
        failure,
        unscheduled: scheduled && scheduled.status !== 'True' ? scheduled : undefined,
        conditions,
        containers,
        events: await eventsOf(cluster, pod, o.maxEvents, notes)
    };
}
/**
 * Which log a failing container has to show: the previous instance for one
 * that crashed and restarted, the current one for one that ended in failure
 * or runs without being ready. A container that never started has none.
 */
function logsWanted(c) {
    if (c.state === 'waiting' && c.reason === 'CrashLoopBackOff')
        return { previous: true };
    if (c.state === 'terminated' && c.exitCode !== undefined && c.exitCode !== 0)
        return { previous: false };
    if (c.restartCount > 0 && c.lastTermination && !c.ready)
        return { previous: true };
    if (c.state === 'running' && !c.ready && !c.init)
        return { previous: false };
    return undefined;
}
/** The same structure with every string redacted. */
function redactAll(value) {
    if (typeof value === 'string')
        return (0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(value);
    if (Array.isArray(value))
        return value.map(v => redactAll(v));
    if (value && typeof value === 'object') {
        const out = {};
        for (const [k, v] of Object.entries(value))
            if (v !== undefined)
                out[k] = redactAll(v);
        return out;
    }
    return value;
}
function rec(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v)
        ? v
        : undefined;
}
function arr(v) {
    return Array.isArray(v) ? v : [];
}
function str(v) {
    return typeof v === 'string' ? v : undefined;
}
function num(v) {
    return typeof v === 'number' ? v : undefined;
}


/***/ }),

/***/ 8550:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bt: () => (/* binding */ LABEL_RUN),
/* harmony export */   LJ: () => (/* binding */ LABEL_PLAN),
/* harmony export */   Tu: () => (/* binding */ dnsName),
/* harmony export */   dq: () => (/* binding */ LABEL_MANAGED_BY),
/* harmony export */   fC: () => (/* binding */ runSelector),
/* harmony export */   lA: () => (/* binding */ LABEL_PHASE),
/* harmony export */   os: () => (/* binding */ LABEL_ROLE),
/* harmony export */   t8: () => (/* binding */ isKept),
/* harmony export */   vJ: () => (/* binding */ withRunLabels),
/* harmony export */   w: () => (/* binding */ labelValue)
/* harmony export */ });
/* unused harmony exports ANNOTATION_KEEP, ANNOTATION_HELM_KEEP */
/**
 * The labels every applied object carries, so later gates find what a plan
 * applied and cleanup finds exactly what a run made. Labels go on object
 * metadata only, never on pod templates or selectors (that would restart
 * every pod on each run).
 */
const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
const LABEL_PLAN = 'phase-gate.dev/plan';
const LABEL_RUN = 'phase-gate.dev/run';
const LABEL_ROLE = 'phase-gate.dev/role';
const LABEL_PHASE = 'phase-gate.dev/phase';
const ANNOTATION_KEEP = 'phase-gate.dev/keep';
const ANNOTATION_HELM_KEEP = 'helm.sh/resource-policy';
/** A label value made valid: at most 63 characters of [A-Za-z0-9-_.], alphanumeric at both ends. */
function labelValue(text) {
    const v = text
        .replace(/[^A-Za-z0-9._-]+/g, '-')
        .slice(0, 63)
        .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
    return v || 'x';
}
/** A DNS-1123 name fragment: lowercase alphanumerics and '-'. */
function dnsName(text, max = 253) {
    return (text
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, max)
        .replace(/-+$/, '') || 'x');
}
/** The object with the run's labels on its metadata (a copy; templates untouched). */
function withRunLabels(obj, l) {
    const labels = {
        ...(obj.metadata.labels ?? {}),
        [LABEL_MANAGED_BY]: 'phase-gate',
        [LABEL_PLAN]: labelValue(l.plan),
        [LABEL_RUN]: labelValue(l.run),
        [LABEL_ROLE]: l.role
    };
    if (l.unit)
        labels[LABEL_PHASE] = labelValue(l.unit);
    return { ...obj, metadata: { ...obj.metadata, labels } };
}
/** Selector for everything one run applied in a role. */
function runSelector(plan, run, role) {
    const parts = [`${LABEL_PLAN}=${labelValue(plan)}`, `${LABEL_RUN}=${labelValue(run)}`];
    if (role)
        parts.push(`${LABEL_ROLE}=${role}`);
    return parts.join(',');
}
/** True when undo must leave the object in place (PVCs, keep annotations). */
function isKept(obj) {
    const a = obj.metadata.annotations ?? {};
    return (obj.kind === 'PersistentVolumeClaim' ||
        a[ANNOTATION_HELM_KEEP] === 'keep' ||
        a[ANNOTATION_KEEP] === 'true');
}


/***/ }),

/***/ 5766:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   IZ: () => (/* binding */ acquireLock),
/* harmony export */   my: () => (/* binding */ releaseStaleLock)
/* harmony export */ });
/* unused harmony exports ANNOTATION_LOCK_TOKEN, ANNOTATION_LOCK_PURPOSE, LockBusyError, lockToken, leaseName, microTime, leaseExpired */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _core_duration_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8571);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4296);
/* harmony import */ var _labels_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8550);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6384);
/**
 * The lock that keeps two runs of one plan on one target apart: a
 * `coordination.k8s.io/v1` Lease `phase-gate-<plan>` in the target namespace
 * whose holder is the run id. A second run waits (polling with jitter, the
 * way client-go's leader election does) up to a bound, then fails naming the
 * holder; a holder that stopped renewing (a killed job) loses the Lease once
 * it expires. The holder renews while its gates run and clears the holder on
 * release, so a waiting run takes over at once.
 */





/** Annotation telling apart two processes of one run id (two jobs of one workflow run). */
const ANNOTATION_LOCK_TOKEN = 'phase-gate.dev/lock-token';
/** Annotation naming what the holder is doing, for the waiter's message. */
const ANNOTATION_LOCK_PURPOSE = 'phase-gate.dev/lock-purpose';
const DEFAULT_LEASE_MS = 30_000;
/** Another run held the lock past the wait bound: exit 3, naming the holder and what to do. */
class LockBusyError extends _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InfraError */ .Ri {
    holder;
    constructor(message, hint, holder) {
        super(message, hint);
        this.holder = holder;
        this.name = 'LockBusyError';
    }
}
/**
 * The holder token of this process. In a GitHub Actions job it is derived
 * from the job (run, attempt, job, runner), so the job's post step can free a
 * lock its killed main step held; elsewhere it is random.
 */
function lockToken(env = process.env) {
    if (env.GITHUB_ACTIONS !== 'true' || !env.RUNNER_TEMP)
        return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(6).toString('hex');
    const job = [
        env.GITHUB_RUN_ID,
        env.GITHUB_RUN_ATTEMPT,
        env.GITHUB_JOB,
        env.RUNNER_NAME,
        env.RUNNER_TEMP
    ].join('|');
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(job).digest('hex').slice(0, 12);
}
/**
 * Frees the plan's lock when this job (run id and token) still holds it: the
 * post step after a killed main step, so the next run need not wait for the
 * Lease to expire. Resolves whether it freed it.
 */
async function releaseStaleLock(cluster, o) {
    const ref = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        name: leaseName(o.plan),
        namespace: o.namespace
    };
    const lease = await cluster.get(ref);
    const spec = (lease?.spec ?? {});
    if (!lease ||
        spec.holderIdentity !== o.holder ||
        lease.metadata.annotations?.[ANNOTATION_LOCK_TOKEN] !== (o.token ?? lockToken()))
        return false;
    const rest = { ...spec };
    delete rest.holderIdentity;
    await cluster.replace({
        ...lease,
        spec: { ...rest, leaseDurationSeconds: 1, renewTime: microTime(o.clock.now()) }
    });
    return true;
}
/** The Lease's name for a plan. */
function leaseName(plan) {
    return (0,_labels_js__WEBPACK_IMPORTED_MODULE_4__/* .dnsName */ .Tu)(`phase-gate-${plan}`, 253);
}
/** Kubernetes MicroTime: RFC 3339 with microseconds. */
function microTime(ms) {
    return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
/** True when the Lease's holder let it lapse: renewed longer ago than its duration (on the holder's clock). */
function leaseExpired(spec, now) {
    if (!spec.holderIdentity)
        return true;
    const renewed = Date.parse(spec.renewTime ?? spec.acquireTime ?? '');
    if (Number.isNaN(renewed))
        return true;
    return renewed + (spec.leaseDurationSeconds ?? DEFAULT_LEASE_MS / 1000) * 1000 < now;
}
/** Takes the plan's lock in the namespace, waiting up to `waitMs` for another holder. */
async function acquireLock(o) {
    const name = leaseName(o.plan);
    const ref = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        name,
        namespace: o.namespace
    };
    const where = `Lease ${o.namespace}/${name}`;
    const token = o.token ?? lockToken();
    const leaseMs = o.leaseDurationMs ?? DEFAULT_LEASE_MS;
    const started = o.clock.now();
    // Clock skew between runners must not make a live lease look expired: a
    // lease also counts as lapsed when it did not change for its duration as
    // we watched it (client-go's rule).
    let observed;
    let waitedFor;
    let announced = false;
    const body = (lease, now) => {
        const before = (lease?.spec ?? {});
        const changed = lease !== undefined && before.holderIdentity !== o.holder;
        return {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: {
                name,
                namespace: o.namespace,
                labels: { [_labels_js__WEBPACK_IMPORTED_MODULE_4__/* .LABEL_MANAGED_BY */ .dq]: 'phase-gate', [_labels_js__WEBPACK_IMPORTED_MODULE_4__/* .LABEL_PLAN */ .LJ]: (0,_labels_js__WEBPACK_IMPORTED_MODULE_4__/* .labelValue */ .w)(o.plan) },
                annotations: {
                    [ANNOTATION_LOCK_TOKEN]: token,
                    ...(o.purpose ? { [ANNOTATION_LOCK_PURPOSE]: o.purpose } : {})
                },
                ...(lease ? { resourceVersion: lease.metadata.resourceVersion } : {})
            },
            spec: {
                holderIdentity: o.holder,
                leaseDurationSeconds: Math.ceil(leaseMs / 1000),
                acquireTime: microTime(now),
                renewTime: microTime(now),
                leaseTransitions: (before.leaseTransitions ?? 0) + (changed ? 1 : 0)
            }
        };
    };
    // The transport already retried each request; a few more rounds ride out a
    // create (never retried by the transport) meeting a 5xx, without waiting out
    // the whole bound when the server is down.
    let faults = 0;
    const fault = async (err) => {
        if (!isTransient(err) || ++faults > MAX_FAULTS)
            throw lockError(err, where, o.holder);
        o.log.debug(`${where}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(err)}; trying again`);
        await pause(o, o.pollMs ?? 1000);
    };
    for (;;) {
        if (o.signal?.aborted)
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .CancelledError */ .cc();
        const now = o.clock.now();
        let lease;
        try {
            lease = await o.cluster.get(ref);
        }
        catch (err) {
            await fault(err);
            continue;
        }
        const spec = (lease?.spec ?? {});
        const key = `${spec.holderIdentity ?? ''}|${spec.renewTime ?? ''}|${lease?.metadata.resourceVersion ?? ''}`;
        if (!observed || observed.key !== key)
            observed = { key, since: now };
        const lapsed = !lease || leaseExpired(spec, now) || now - observed.since >= leaseMs;
        // The same run id in another process (two jobs of one workflow run) waits like any other run.
        if (lapsed) {
            try {
                if (lease)
                    await o.cluster.replace(body(lease, now));
                else
                    await o.cluster.create(body(undefined, now));
            }
            catch (err) {
                // Another run got there first: look again.
                if (err instanceof _types_js__WEBPACK_IMPORTED_MODULE_3__/* .KubeApiError */ .W3 && (err.status === 409 || err.reason === 'AlreadyExists'))
                    continue;
                await fault(err);
                continue;
            }
            if (lease && spec.holderIdentity && spec.holderIdentity !== o.holder)
                o.log.warn(`${where}: took over from run ${spec.holderIdentity}, whose lease had expired (a killed job?)`);
            o.log.debug(`${where}: held by run ${o.holder}`);
            return hold(o, ref, where, token, leaseMs, now - started, waitedFor);
        }
        waitedFor = spec.holderIdentity;
        const waited = now - started;
        const purpose = lease?.metadata.annotations?.[ANNOTATION_LOCK_PURPOSE];
        const renewedAgo = Date.parse(spec.renewTime ?? '');
        const holderText = `run ${spec.holderIdentity}${purpose ? ` (${purpose})` : ''}${spec.acquireTime ? `, holding it since ${spec.acquireTime}` : ''}${Number.isNaN(renewedAgo) ? '' : `, last renewed ${(0,_core_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a3)(Math.max(0, now - renewedAgo))} ago`}`;
        if (waited >= o.waitMs) {
            throw new LockBusyError(`another run of plan ${o.plan} holds the lock on namespace ${o.namespace}: ${holderText}; waited ${(0,_core_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a3)(waited)}`, `let run ${spec.holderIdentity} finish (or cancel it), then re-run; raise lock.wait in the plan or lock-wait/--lock-wait to wait longer. A killed run's lease expires ${(0,_core_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a3)(leaseMs)} after its last renewal; to free it by hand: kubectl -n ${o.namespace} delete lease ${name}`, spec.holderIdentity ?? '');
        }
        if (!announced) {
            o.log.info(`${where} is held by ${holderText}; waiting up to ${(0,_core_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a3)(o.waitMs)}`);
            announced = true;
        }
        await pause(o, o.pollMs ?? 1000, o.waitMs - waited);
    }
}
const MAX_FAULTS = 3;
/** A failure worth another round: no answer, 429 or a 5xx (a 403 or 422 will not change). */
function isTransient(err) {
    return err instanceof _types_js__WEBPACK_IMPORTED_MODULE_3__/* .KubeApiError */ .W3 && (err.transport || err.status === 429 || err.status >= 500);
}
/** Sleeps about `ms` (jittered so waiting runs spread out), never past `capMs`; a cancelled run stops at once. */
async function pause(o, ms, capMs = Number.POSITIVE_INFINITY) {
    const jittered = Math.round(ms * (0.75 + Math.random() * 0.5));
    try {
        await o.clock.sleep(Math.max(1, Math.min(capMs, jittered)), o.signal);
    }
    catch {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .CancelledError */ .cc();
    }
}
function lockError(err, where, holder) {
    if (err instanceof _types_js__WEBPACK_IMPORTED_MODULE_3__/* .KubeApiError */ .W3 && err.status === 403)
        return new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InfraError */ .Ri(`run ${holder} may not take the lock ${where}: ${err.message}`, 'phase-gate needs get, create and update on leases.coordination.k8s.io in the target namespace (the built-in edit role has them)');
    if (err instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InfraError */ .Ri)
        return err;
    return new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InfraError */ .Ri(`cannot take the lock ${where}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(err)}`, 'check that the API server is up and reachable from this runner');
}
function hold(o, ref, where, token, leaseMs, waitedMs, waitedFor) {
    const stop = new AbortController();
    const state = {};
    const renewEvery = o.renewEveryMs ?? Math.max(1000, Math.floor(leaseMs / 3));
    const renewOnce = async () => {
        const lease = await o.cluster.get(ref);
        const spec = (lease?.spec ?? {});
        if (!lease ||
            spec.holderIdentity !== o.holder ||
            lease.metadata.annotations?.[ANNOTATION_LOCK_TOKEN] !== token) {
            state.lost = lease?.spec ? `taken by run ${spec.holderIdentity ?? '(none)'}` : 'deleted';
            o.log.warn(`${where}: lost the lock (${state.lost}); another run may now change this namespace`);
            stop.abort();
            return;
        }
        await o.cluster.replace({
            ...lease,
            spec: {
                ...spec,
                renewTime: microTime(o.clock.now()),
                leaseDurationSeconds: Math.ceil(leaseMs / 1000)
            }
        });
    };
    const renewing = (async () => {
        while (!stop.signal.aborted) {
            try {
                await o.clock.sleep(renewEvery, stop.signal);
            }
            catch {
                return;
            }
            try {
                await renewOnce();
            }
            catch (err) {
                // An apiserver restart or a conflict with our own previous write: the next period tries again.
                o.log.debug(`${where}: renewal failed: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(err)}`);
            }
        }
    })();
    return {
        name: where,
        waitedMs,
        waitedFor,
        get lost() {
            return state.lost;
        },
        async release() {
            stop.abort();
            await renewing;
            if (state.lost)
                return;
            try {
                const lease = await o.cluster.get(ref);
                const spec = (lease?.spec ?? {});
                if (!lease ||
                    spec.holderIdentity !== o.holder ||
                    lease.metadata.annotations?.[ANNOTATION_LOCK_TOKEN] !== token)
                    return;
                // Clearing the holder (resourceVersion-checked) frees it at once, as client-go's ReleaseOnCancel does.
                const rest = { ...spec };
                delete rest.holderIdentity;
                await o.cluster.replace({
                    ...lease,
                    spec: { ...rest, leaseDurationSeconds: 1, renewTime: microTime(o.clock.now()) }
                });
            }
            catch (err) {
                o.log.warn(`${where}: could not release the lock (${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(err)}); it expires ${(0,_core_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a3)(leaseMs)} after its last renewal`);
            }
        }
    };
}


/***/ }),

/***/ 4312:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   LW: () => (/* binding */ ownedBy),
/* harmony export */   MQ: () => (/* binding */ podFailure),
/* harmony export */   P5: () => (/* binding */ labelSelectorOf),
/* harmony export */   QC: () => (/* binding */ workloadFailure),
/* harmony export */   Qc: () => (/* binding */ currentPods),
/* harmony export */   UF: () => (/* binding */ POD_OWNER_KINDS),
/* harmony export */   kw: () => (/* binding */ currentReplicaSet)
/* harmony export */ });
/* unused harmony export HOPELESS_WAITING_REASONS */
/* harmony import */ var _readiness_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5153);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6384);
/**
 * Causes that end a wait at once ("fail fast when the cause is known"), and
 * which Pods and ReplicaSets speak for a workload's current revision. kstatus
 * keeps a Pod in ImagePullBackOff InProgress forever (it cannot know the image
 * will never appear); a deployment gate can: these causes do not heal without
 * a change to the manifest or the cluster.
 */


/** Container waiting reasons that never heal without a change (the kubelet only backs off). */
const HOPELESS_WAITING_REASONS = {
    ErrImagePull: 'image',
    ImagePullBackOff: 'image',
    InvalidImageName: 'image',
    ErrImageNeverPull: 'image',
    ImageInspectError: 'image',
    CreateContainerConfigError: 'config',
    CreateContainerError: 'config',
    CrashLoopBackOff: 'crash'
};
/** The cause that dooms a Pod, or undefined while it may still become ready. */
function podFailure(pod, opts = {}) {
    const source = (0,_types_js__WEBPACK_IMPORTED_MODULE_1__/* .refOf */ .H8)(pod);
    const status = rec(pod.status);
    const spec = rec(pod.spec);
    const restartPolicy = str(spec?.restartPolicy) ?? 'Always';
    if (pod.metadata.deletionTimestamp)
        return undefined;
    if (str(status?.phase) === 'Failed') {
        const reason = str(status?.reason) ?? 'PodFailed';
        const message = str(status?.message) ?? describeTerminations(status) ?? 'the Pod failed';
        return { reason, message: `Pod failed: ${message}`, category: 'exit', source };
    }
    const scheduled = (0,_readiness_js__WEBPACK_IMPORTED_MODULE_0__/* .findCondition */ .fS)(pod, 'PodScheduled');
    if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
        const created = Date.parse(pod.metadata.creationTimestamp ?? '');
        const grace = opts.unschedulableGraceMs ?? 0;
        const now = opts.now ?? Date.now();
        if (grace <= 0 || !Number.isFinite(created) || now - created >= grace) {
            return {
                reason: 'Unschedulable',
                message: `Pod cannot be scheduled: ${scheduled.message ?? 'no node fits'}`,
                category: 'unschedulable',
                source
            };
        }
    }
    const images = containerImages(spec);
    for (const [key, init] of [
        ['initContainerStatuses', true],
        ['containerStatuses', false]
    ]) {
        const statuses = status?.[key];
        if (!Array.isArray(statuses))
            continue;
        for (const raw of statuses) {
            const cs = rec(raw);
            if (!cs)
                continue;
            const name = str(cs.name) ?? '?';
            const image = str(cs.image) || images.get(name);
            const what = `${init ? 'init container' : 'container'} ${name}`;
            const state = rec(cs.state);
            const waiting = rec(state?.waiting);
            const waitingReason = str(waiting?.reason);
            if (waitingReason && waitingReason in HOPELESS_WAITING_REASONS) {
                const detail = str(waiting?.message);
                const imageNote = image && !detail?.includes(image) ? ` (image ${image})` : '';
                return {
                    reason: waitingReason,
                    // The reason travels in `reason`; consumers print `reason: message`.
                    message: `${what}${imageNote}: ${detail || `waiting ${waitingReason}`}`,
                    category: HOPELESS_WAITING_REASONS[waitingReason],
                    source,
                    container: name,
                    image
                };
            }
            const terminated = rec(state?.terminated);
            const exitCode = num(terminated?.exitCode);
            if (terminated && exitCode !== undefined && exitCode !== 0) {
                const restarts = num(cs.restartCount) ?? 0;
                const term = describeTermination(terminated);
                if (restartPolicy === 'Never') {
                    return {
                        reason: str(terminated.reason) ?? 'Error',
                        message: `${what} ${term} and restartPolicy is Never`,
                        category: 'exit',
                        source,
                        container: name,
                        image
                    };
                }
                // It has crashed again after a restart: the kubelet's back-off is next.
                if (restarts >= 1) {
                    return {
                        reason: 'CrashLoopBackOff',
                        message: `${what} ${term} after ${restarts} restart${restarts === 1 ? '' : 's'}`,
                        category: 'crash',
                        source,
                        container: name,
                        image
                    };
                }
            }
        }
    }
    return undefined;
}
/**
 * The cause that dooms a workload by its own status: a ReplicaSet (or the
 * Deployment mirroring it) whose Pods admission rejects (FailedCreate, e.g. an
 * OpenShift SCC or a quota), a Deployment past its progress deadline, a failed Job.
 */
function workloadFailure(obj) {
    const source = (0,_types_js__WEBPACK_IMPORTED_MODULE_1__/* .refOf */ .H8)(obj);
    if (obj.metadata.deletionTimestamp)
        return undefined;
    if (obj.kind === 'ReplicaSet' || obj.kind === 'Deployment') {
        const rf = (0,_readiness_js__WEBPACK_IMPORTED_MODULE_0__/* .findCondition */ .fS)(obj, 'ReplicaFailure');
        if (rf?.status === 'True' && rf.reason === 'FailedCreate') {
            return {
                reason: 'FailedCreate',
                message: `${obj.kind} ${obj.metadata.name} cannot create Pods: ${rf.message ?? 'FailedCreate'}`,
                category: 'admission',
                source
            };
        }
    }
    if (obj.kind === 'Deployment') {
        const p = (0,_readiness_js__WEBPACK_IMPORTED_MODULE_0__/* .findCondition */ .fS)(obj, 'Progressing');
        if (p?.reason === 'ProgressDeadlineExceeded') {
            return {
                reason: 'ProgressDeadlineExceeded',
                message: `Deployment ${obj.metadata.name} exceeded its progress deadline: ${p.message ?? ''}`.trim(),
                category: 'deadline',
                source
            };
        }
    }
    if (obj.kind === 'Job') {
        const f = (0,_readiness_js__WEBPACK_IMPORTED_MODULE_0__/* .findCondition */ .fS)(obj, 'Failed');
        if (f?.status === 'True') {
            return {
                reason: f.reason ?? 'JobFailed',
                message: `Job ${obj.metadata.name} failed: ${f.message ?? f.reason ?? 'Failed condition'}`,
                category: 'job',
                source
            };
        }
    }
    return undefined;
}
/** Kinds whose Pods a wait watches for fail-fast causes. */
const POD_OWNER_KINDS = new Set([
    'Deployment',
    'ReplicaSet',
    'StatefulSet',
    'DaemonSet',
    'Job'
]);
/**
 * The workload's `spec.selector` as a label-selector string (matchLabels and
 * matchExpressions), or undefined when it has none or one that selects nothing.
 */
function labelSelectorOf(workload) {
    const selector = rec(rec(workload.spec)?.selector);
    if (!selector)
        return undefined;
    const parts = [];
    const labels = rec(selector.matchLabels);
    for (const [k, v] of Object.entries(labels ?? {}))
        if (typeof v === 'string')
            parts.push(`${k}=${v}`);
    const exprs = selector.matchExpressions;
    for (const raw of Array.isArray(exprs) ? exprs : []) {
        const e = rec(raw);
        const key = str(e?.key);
        if (!e || !key)
            continue;
        const values = Array.isArray(e.values) ? e.values.filter(v => typeof v === 'string') : [];
        switch (e.operator) {
            case 'In':
                parts.push(`${key} in (${values.join(',')})`);
                break;
            case 'NotIn':
                parts.push(`${key} notin (${values.join(',')})`);
                break;
            case 'Exists':
                parts.push(key);
                break;
            case 'DoesNotExist':
                parts.push(`!${key}`);
                break;
        }
    }
    return parts.length > 0 ? parts.join(',') : undefined;
}
/** Revision annotation the Deployment controller keeps on a Deployment and its ReplicaSets. */
const REVISION = 'deployment.kubernetes.io/revision';
/**
 * The Deployment's current ReplicaSet among `replicaSets`: the one it owns
 * carrying the Deployment's revision, else the newest revision it owns.
 */
function currentReplicaSet(deployment, replicaSets) {
    const owned = [...replicaSets].filter(rs => ownedBy(rs, deployment));
    const want = deployment.metadata.annotations?.[REVISION];
    const exact = want ? owned.find(rs => rs.metadata.annotations?.[REVISION] === want) : undefined;
    if (exact)
        return exact;
    const rev = (rs) => Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0;
    return owned.sort((a, b) => rev(b) - rev(a))[0];
}
/**
 * The Pods of the workload's current revision among `pods`. Old revisions'
 * Pods are left out: an old ReplicaSet's crash loop (what a rollout may be
 * fixing) must not fail the new rollout.
 */
function currentPods(workload, pods, replicaSets = []) {
    const all = [...pods].filter(p => p.metadata.namespace === workload.metadata.namespace);
    switch (workload.kind) {
        case 'Deployment': {
            const rs = currentReplicaSet(workload, replicaSets);
            return rs ? all.filter(p => ownedBy(p, rs)) : [];
        }
        case 'StatefulSet': {
            const revision = str(rec(workload.status)?.updateRevision);
            return all.filter(p => ownedBy(p, workload) &&
                (!revision || p.metadata.labels?.['controller-revision-hash'] === revision));
        }
        case 'DaemonSet': {
            // The DaemonSet controller labels Pods with the template generation they came from.
            const gen = workload.metadata.generation;
            return all.filter(p => {
                const podGen = p.metadata.labels?.['pod-template-generation'];
                return ownedBy(p, workload) && (gen === undefined || !podGen || podGen === String(gen));
            });
        }
        default:
            return all.filter(p => ownedBy(p, workload));
    }
}
/** True when `child` names `owner` (by uid, else by kind and name) among its ownerReferences. */
function ownedBy(child, owner) {
    return (child.metadata.ownerReferences ?? []).some(o => owner.metadata.uid
        ? o.uid === owner.metadata.uid
        : o.kind === owner.kind && o.name === owner.metadata.name);
}
function containerImages(spec) {
    const images = new Map();
    for (const key of ['initContainers', 'containers']) {
        const list = spec?.[key];
        for (const c of Array.isArray(list) ? list : []) {
            const r = rec(c);
            const name = str(r?.name);
            const image = str(r?.image);
            if (name && image)
                images.set(name, image);
        }
    }
    return images;
}
function describeTermination(t) {
    const reason = str(t.reason);
    const message = str(t.message);
    return `exited with code ${num(t.exitCode) ?? '?'}${reason ? ` (${reason})` : ''}${message ? `: ${message}` : ''}`;
}
function describeTerminations(status) {
    const statuses = status?.containerStatuses;
    for (const raw of Array.isArray(statuses) ? statuses : []) {
        const t = rec(rec(rec(raw)?.state)?.terminated);
        if (t && num(t.exitCode) !== 0)
            return `container ${str(rec(raw)?.name)} ${describeTermination(t)}`;
    }
    return undefined;
}
function rec(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v)
        ? v
        : undefined;
}
function str(v) {
    return typeof v === 'string' ? v : undefined;
}
function num(v) {
    return typeof v === 'number' ? v : undefined;
}


/***/ }),

/***/ 5153:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ee: () => (/* binding */ computeStatus),
/* harmony export */   fS: () => (/* binding */ findCondition),
/* harmony export */   yb: () => (/* binding */ conditionsOf)
/* harmony export */ });
/* unused harmony export SCHEDULE_WINDOW_MS */
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6384);
/**
 * Readiness as kstatus computes it: a port of sigs.k8s.io/cli-utils
 * `pkg/kstatus/status` (core.go, generic.go, status.go, util.go at
 * 5895ad6c, Oct 2025), the rules Flux and kpt wait with. Every rule below names
 * the kstatus function it copies; where phase-gate deliberately differs the
 * comment says "phase-gate:" and why.
 *
 * Deliberate differences, all small:
 * - A LoadBalancer Service also needs `status.loadBalancer.ingress` (kstatus
 *   only needs a clusterIP): a gate that calls a Service "ready" must mean it
 *   is reachable, as Helm's and Argo CD's checks do.
 * - Errors kstatus returns (malformed conditions, unknown pod phase) become
 *   the `Unknown` status with the error as message, so a waiter keeps going.
 * - Pods in a hopeless waiting state (ErrImagePull, ...) stay InProgress here
 *   exactly as in kstatus; `podFailure()` in pod-failures.ts is what flags them.
 */

/** How long a Pod may stay unschedulable before kstatus reports it Failed (kstatus `ScheduleWindow`). */
const SCHEDULE_WINDOW_MS = 15_000;
/** Thrown inside the port where kstatus returns an error; surfaces as `Unknown`. */
class StatusError extends Error {
}
const current = (message) => ({ status: 'Current', message });
// kstatus newInProgressStatus / newFailedStatus: the reason is the attached condition's.
const inProgress = (reason, message) => ({
    status: 'InProgress',
    message,
    reason
});
const failed = (reason, message) => ({
    status: 'Failed',
    message,
    reason
});
/** The kstatus status of an object; `undefined` (the object does not exist) is NotFound. */
function computeStatus(obj, opts = {}) {
    if (!obj)
        return { status: 'NotFound', message: 'Resource not found' };
    try {
        // kstatus Compute: generic properties first, then the built-in type's rule,
        // then a Ready condition, otherwise Current.
        const generic = checkGenericProperties(obj);
        if (generic)
            return generic;
        const rule = builtInRule(obj);
        if (rule)
            return rule(obj, opts.now ?? Date.now());
        return checkReadyCondition(obj) ?? current('Resource is current');
    }
    catch (err) {
        if (err instanceof StatusError)
            return { status: 'Unknown', message: err.message };
        throw err;
    }
}
/** The object's `status.conditions`, validated the way kstatus's converter would reject bad ones. */
function conditionsOf(obj) {
    const status = obj.status;
    if (status === undefined || status === null)
        return [];
    if (!isRecord(status))
        throw new StatusError('.status is not an object');
    const list = status.conditions;
    if (list === undefined || list === null)
        return [];
    if (!Array.isArray(list))
        throw new StatusError('.status.conditions is not a list');
    return list.map((c, i) => {
        if (!isRecord(c))
            throw new StatusError(`.status.conditions[${i}] is not an object`);
        for (const f of ['type', 'status', 'reason', 'message']) {
            if (c[f] !== undefined && c[f] !== null && typeof c[f] !== 'string') {
                throw new StatusError(`.status.conditions[${i}].${f} is not a string`);
            }
        }
        return {
            type: str(c.type) ?? '',
            status: str(c.status) ?? '',
            reason: str(c.reason),
            message: str(c.message),
            lastTransitionTime: str(c.lastTransitionTime)
        };
    });
}
/** The first condition of a type, ignoring malformed condition lists. */
function findCondition(obj, type) {
    try {
        return conditionsOf(obj).find(c => c.type === type);
    }
    catch {
        return undefined;
    }
}
// ---------------------------------------------------------------- generic.go
/** kstatus checkGenericProperties: deletion, generation, Reconciling/Stalled. */
function checkGenericProperties(obj) {
    if (obj.metadata.deletionTimestamp)
        return { status: 'Terminating', message: 'Resource scheduled for deletion' };
    const gen = checkGeneration(obj);
    if (gen)
        return gen;
    for (const c of conditionsOf(obj)) {
        if (c.type === 'Reconciling' && c.status === 'True')
            return inProgress(c.reason ?? '', c.message ?? '');
        if (c.type === 'Stalled' && c.status === 'True')
            return failed(c.reason ?? '', c.message ?? '');
    }
    return undefined;
}
/**
 * kstatus checkGeneration: InProgress while `status.observedGeneration`
 * differs from `metadata.generation`; skipped when either is absent.
 */
function checkGeneration(obj) {
    const generation = int64(obj, 'metadata.generation');
    if (generation === undefined)
        return undefined;
    const observed = int64(obj, 'status.observedGeneration');
    if (observed === undefined || observed === generation)
        return undefined;
    const message = `${obj.kind} generation is ${generation}, but latest observed generation is ${observed}`;
    return inProgress('LatestGenerationNotObserved', message);
}
/** kstatus checkGenerationSet (DaemonSet only): both generation fields must exist. */
function checkGenerationSet(obj) {
    if (int64(obj, 'metadata.generation') === undefined) {
        return inProgress('NoGeneration', `${obj.kind} metadata.generation not found`);
    }
    if (int64(obj, 'status.observedGeneration') === undefined) {
        return inProgress('NoObservedGeneration', `${obj.kind} status.observedGeneration not found`);
    }
    return undefined;
}
// ----------------------------------------------------------------- status.go
/** kstatus checkReadyCondition: a `Ready` condition decides for kinds without a built-in rule. */
function checkReadyCondition(obj) {
    for (const c of conditionsOf(obj)) {
        if (c.type !== 'Ready')
            continue;
        if (c.status === 'True')
            return current('Resource is Ready');
        if (c.status === 'False' || c.status === 'Unknown')
            return inProgress(c.reason ?? '', c.message ?? '');
    }
    return undefined;
}
/** kstatus legacyTypes, keyed `group/Kind` (core group: `Kind`). */
const RULES = {
    Service: serviceRule,
    Pod: podRule,
    Secret: alwaysReady,
    PersistentVolumeClaim: pvcRule,
    'apps/StatefulSet': statefulSetRule,
    'apps/DaemonSet': daemonSetRule,
    'extensions/DaemonSet': daemonSetRule,
    'apps/Deployment': deploymentRule,
    'extensions/Deployment': deploymentRule,
    'apps/ReplicaSet': replicaSetRule,
    'extensions/ReplicaSet': replicaSetRule,
    'policy/PodDisruptionBudget': pdbRule,
    'batch/CronJob': alwaysReady,
    ConfigMap: alwaysReady,
    'batch/Job': jobRule,
    'apiextensions.k8s.io/CustomResourceDefinition': crdRule
};
/** kstatus GetLegacyConditionsFn. */
function builtInRule(obj) {
    const { group } = (0,_types_js__WEBPACK_IMPORTED_MODULE_0__/* .splitApiVersion */ .Np)(obj.apiVersion);
    return RULES[group ? `${group}/${obj.kind}` : obj.kind];
}
/** kstatus alwaysReady (Secret, ConfigMap, CronJob). */
function alwaysReady() {
    return current('Resource is always ready');
}
/**
 * kstatus stsConditions. The StatefulSet controller sets no conditions, so
 * only the replica counts and revisions tell; OnDelete is user-managed.
 */
function statefulSetRule(obj) {
    if (str(field(obj, 'spec.updateStrategy.type')) === 'OnDelete') {
        return current('StatefulSet is using the ondelete update strategy');
    }
    const spec = intField(obj, 'spec.replicas', 1);
    const ready = intField(obj, 'status.readyReplicas', 0);
    const currentReplicas = intField(obj, 'status.currentReplicas', 0);
    const updated = intField(obj, 'status.updatedReplicas', 0);
    const replicas = intField(obj, 'status.replicas', 0);
    const partition = intField(obj, 'spec.updateStrategy.rollingUpdate.partition', -1);
    if (spec > replicas)
        return inProgress('LessReplicas', `Replicas: ${replicas}/${spec}`);
    if (spec > ready)
        return inProgress('LessReady', `Ready: ${ready}/${spec}`);
    if (replicas > spec)
        return inProgress('ExtraPods', `Pending termination: ${replicas - spec}`);
    if (partition !== -1) {
        if (updated < spec - partition) {
            return inProgress('PartitionRollout', `updated: ${updated}/${spec - partition}`);
        }
        return current(`Partition rollout complete. updated: ${updated}`);
    }
    if (spec > currentReplicas)
        return inProgress('LessCurrent', `current: ${currentReplicas}/${spec}`);
    const currentRevision = str(field(obj, 'status.currentRevision')) ?? '';
    const updateRevision = str(field(obj, 'status.updateRevision')) ?? '';
    if (currentRevision !== updateRevision) {
        return inProgress('RevisionMismatch', 'Waiting for updated revision to match current');
    }
    return current(`All replicas scheduled as expected. Replicas: ${replicas}`);
}
/**
 * kstatus deploymentConditions: Failed once the progress deadline is
 * exceeded; Current when every replica is updated, available and ready and the
 * Progressing/Available conditions agree.
 */
function deploymentRule(obj) {
    // Without progressDeadlineSeconds the controller never sets Progressing, so
    // kstatus treats the Deployment as progressing (MaxInt32 is the "unset" value).
    let progressing = intField(obj, 'spec.progressDeadlineSeconds', MAX_INT32) === MAX_INT32;
    let available = false;
    for (const c of conditionsOf(obj)) {
        if (c.type === 'Progressing') {
            if (c.reason === 'ProgressDeadlineExceeded') {
                return failed('ProgressDeadlineExceeded', 'Progress deadline exceeded');
            }
            if (c.status === 'True' && c.reason === 'NewReplicaSetAvailable')
                progressing = true;
        }
        else if (c.type === 'Available' && c.status === 'True') {
            available = true;
        }
    }
    const spec = intField(obj, 'spec.replicas', 1);
    const replicas = intField(obj, 'status.replicas', 0);
    const updated = intField(obj, 'status.updatedReplicas', 0);
    const ready = intField(obj, 'status.readyReplicas', 0);
    const availableReplicas = intField(obj, 'status.availableReplicas', 0);
    if (spec > replicas)
        return inProgress('LessReplicas', `Replicas: ${replicas}/${spec}`);
    if (spec > updated)
        return inProgress('LessUpdated', `Updated: ${updated}/${spec}`);
    if (replicas > spec)
        return inProgress('ExtraPods', `Pending termination: ${replicas - spec}`);
    if (updated > availableReplicas) {
        return inProgress('LessAvailable', `Available: ${availableReplicas}/${updated}`);
    }
    if (spec > ready)
        return inProgress('LessReady', `Ready: ${ready}/${spec}`);
    if (!progressing)
        return inProgress('ReplicaSetNotAvailable', 'ReplicaSet not Available');
    if (!available)
        return inProgress('DeploymentNotAvailable', 'Deployment not Available');
    return current(`Deployment is available. Replicas: ${replicas}`);
}
/** kstatus replicasetConditions: ReplicaFailure is InProgress (workloadFailure() flags FailedCreate). */
function replicaSetRule(obj) {
    for (const c of conditionsOf(obj)) {
        if (c.type === 'ReplicaFailure' && c.status === 'True') {
            return inProgress('ReplicaFailure', 'Replica Failure condition. Check Pods');
        }
    }
    const spec = intField(obj, 'spec.replicas', 1);
    const replicas = intField(obj, 'status.replicas', 0);
    const ready = intField(obj, 'status.readyReplicas', 0);
    const availableReplicas = intField(obj, 'status.availableReplicas', 0);
    const labelled = intField(obj, 'status.fullyLabeledReplicas', 0);
    if (spec > labelled)
        return inProgress('LessLabelled', `Labelled: ${labelled}/${spec}`);
    if (spec > availableReplicas) {
        return inProgress('LessAvailable', `Available: ${availableReplicas}/${spec}`);
    }
    if (spec > ready)
        return inProgress('LessReady', `Ready: ${ready}/${spec}`);
    if (replicas > spec)
        return inProgress('ExtraPods', `Pending termination: ${replicas - spec}`);
    return current(`ReplicaSet is available. Replicas: ${replicas}`);
}
/**
 * kstatus daemonsetConditions: the DaemonSet controller always sets both
 * generation fields, so their absence means it has not acted yet.
 */
function daemonSetRule(obj) {
    const gen = checkGenerationSet(obj);
    if (gen)
        return gen;
    const desired = intField(obj, 'status.desiredNumberScheduled', -1);
    const scheduled = intField(obj, 'status.currentNumberScheduled', 0);
    const updated = intField(obj, 'status.updatedNumberScheduled', 0);
    const availableCount = intField(obj, 'status.numberAvailable', 0);
    const ready = intField(obj, 'status.numberReady', 0);
    if (desired === -1)
        return inProgress('NoDesiredNumber', 'Missing .status.desiredNumberScheduled');
    if (desired > scheduled)
        return inProgress('LessCurrent', `Current: ${scheduled}/${desired}`);
    if (desired > updated)
        return inProgress('LessUpdated', `Updated: ${updated}/${desired}`);
    if (desired > availableCount) {
        return inProgress('LessAvailable', `Available: ${availableCount}/${desired}`);
    }
    if (desired > ready)
        return inProgress('LessReady', `Ready: ${ready}/${desired}`);
    return current(`All replicas scheduled as expected. Replicas: ${desired}`);
}
/** kstatus pvcConditions: Current once Bound. */
function pvcRule(obj) {
    const phase = str(field(obj, 'status.phase')) ?? 'unknown';
    if (phase !== 'Bound')
        return inProgress('NotBound', `PVC is not Bound. phase: ${phase}`);
    return current('PVC is Bound');
}
/**
 * kstatus podConditions. A finished Pod (Succeeded or Failed) is Current, as
 * in kstatus: it will not change any more. A running Pod in CrashLoopBackOff
 * is Failed; an unschedulable one is Failed after SCHEDULE_WINDOW_MS.
 */
function podRule(obj, now) {
    const conditions = conditionsOf(obj);
    const phase = str(field(obj, 'status.phase')) ?? '';
    switch (phase) {
        case 'Succeeded':
            return current('Pod has completed successfully');
        case 'Failed':
            return current('Pod has completed, but not successfully');
        case 'Running': {
            if (conditions.some(c => c.type === 'Ready' && c.status === 'True'))
                return current('Pod is Ready');
            const looping = crashLoopingContainers(obj);
            if (looping.length > 0) {
                return failed('ContainerCrashLooping', `Containers in CrashLoop state: ${looping.join(',')}`);
            }
            return inProgress('PodRunningNotReady', 'Pod is running but is not Ready');
        }
        case 'Pending': {
            const scheduled = conditions.find(c => c.type === 'PodScheduled' && c.status === 'False');
            if (scheduled?.reason === 'Unschedulable') {
                // Go's zero time when the timestamp is missing: the window has passed.
                const created = Date.parse(obj.metadata.creationTimestamp ?? '');
                if (Number.isFinite(created) && now - SCHEDULE_WINDOW_MS < created) {
                    return inProgress('PodNotScheduled', 'Pod has not been scheduled');
                }
                return failed('PodUnschedulable', 'Pod could not be scheduled');
            }
            return inProgress('PodPending', 'Pod is in the Pending phase');
        }
        case '':
            return inProgress('PodNotObserved', 'Pod phase not available');
        default:
            throw new StatusError(`unknown phase ${phase}`);
    }
}
/** kstatus getCrashLoopingContainers (regular containers only, as in kstatus). */
function crashLoopingContainers(obj) {
    const statuses = field(obj, 'status.containerStatuses');
    if (!Array.isArray(statuses))
        return [];
    const names = [];
    for (const cs of statuses) {
        if (!isRecord(cs) || typeof cs.name !== 'string')
            continue;
        const waiting = isRecord(cs.state) && isRecord(cs.state.waiting) ? cs.state.waiting : undefined;
        if (waiting?.reason === 'CrashLoopBackOff')
            names.push(cs.name);
    }
    return names;
}
/**
 * kstatus pdbConditions: reaching this rule means observedGeneration matched
 * (checked generically), so AllowedDisruptions has been computed.
 */
function pdbRule() {
    return current('AllowedDisruptions has been computed.');
}
/**
 * kstatus jobConditions: InProgress until it starts, Current while running and
 * after completing, Failed on the Failed condition; a suspended Job is Current.
 */
function jobRule(obj) {
    const parallelism = intField(obj, 'spec.parallelism', 1);
    const completions = intField(obj, 'spec.completions', parallelism);
    const succeeded = intField(obj, 'status.succeeded', 0);
    const active = intField(obj, 'status.active', 0);
    const failedCount = intField(obj, 'status.failed', 0);
    const startTime = str(field(obj, 'status.startTime')) ?? '';
    const suspended = field(obj, 'spec.suspend') === true;
    for (const c of conditionsOf(obj)) {
        if (c.type === 'Complete' && c.status === 'True') {
            return current(`Job Completed. succeeded: ${succeeded}/${completions}`);
        }
        if (c.type === 'Failed' && c.status === 'True') {
            return failed('JobFailed', `Job Failed. failed: ${failedCount}/${completions}`);
        }
        if (c.type === 'Suspended' && c.status === 'True' && suspended)
            return current('Job is suspended');
    }
    if (startTime === '')
        return inProgress('JobNotStarted', 'Job not started');
    return current(`Job in progress. success:${succeeded}, active: ${active}, failed: ${failedCount}`);
}
/** kstatus serviceConditions, plus (phase-gate) a LoadBalancer needs an ingress address. */
function serviceRule(obj) {
    const type = str(field(obj, 'spec.type')) ?? 'ClusterIP';
    if (type === 'LoadBalancer') {
        if (!str(field(obj, 'spec.clusterIP'))) {
            return inProgress('NoIPAssigned', 'ClusterIP not set. Service type: LoadBalancer');
        }
        // phase-gate: kstatus stops at the clusterIP; we also want the address
        // users reach, which only a load-balancer controller provides.
        const ingress = field(obj, 'status.loadBalancer.ingress');
        if (!Array.isArray(ingress) || ingress.length === 0) {
            return inProgress('NoIngressAssigned', 'LoadBalancer has no ingress address yet (no load-balancer controller has answered)');
        }
    }
    return current('Service is ready');
}
/**
 * kstatus CRDConditions: NamesAccepted=False or Established=False (other
 * than Installing) is Failed; Established=True is Current.
 */
function crdRule(obj) {
    for (const c of conditionsOf(obj)) {
        if (c.type === 'NamesAccepted' && c.status === 'False') {
            return failed(c.reason ?? '', c.message ?? '');
        }
        if (c.type === 'Established') {
            if (c.status === 'False' && c.reason !== 'Installing')
                return failed(c.reason ?? '', c.message ?? '');
            if (c.status === 'True')
                return current('CRD is established');
        }
    }
    return inProgress('Installing', 'Install in progress');
}
// ------------------------------------------------------------------- util.go
const MAX_INT32 = 2_147_483_647;
function isRecord(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(v) {
    return typeof v === 'string' ? v : undefined;
}
/** The value at a dotted path, or undefined. */
function field(obj, path) {
    let v = obj;
    for (const part of path.split('.')) {
        if (!isRecord(v))
            return undefined;
        v = v[part];
    }
    return v;
}
/**
 * kstatus GetIntField: JSON integers decode as int64 in Go, anything else
 * (a float, a string) falls back to the default.
 */
function intField(obj, path, fallback) {
    const v = field(obj, path);
    return typeof v === 'number' && Number.isInteger(v) ? v : fallback;
}
/** unstructured.NestedInt64: absent is undefined, present but not an integer is an error. */
function int64(obj, path) {
    const v = field(obj, path);
    if (v === undefined || v === null)
        return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
        throw new StatusError(`looking up ${path} from resource: not an integer`);
    }
    return v;
}


/***/ }),

/***/ 9368:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   o: () => (/* binding */ registerSecretValues)
/* harmony export */ });
/* harmony import */ var _core_secrets_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8198);
/**
 * The values of a Secret are secrets: whatever phase-gate applies, snapshots
 * or checks, it registers their decoded values so that a pod printing them to
 * its log (evidence), an error echoing them or a restored snapshot never
 * carries them into a report, summary, comment or log line.
 */

/** Registers every value of a Secret's `data` (decoded) and `stringData`; returns how many. */
function registerSecretValues(obj) {
    if (!obj || obj.kind !== 'Secret' || (obj.apiVersion !== 'v1' && obj.apiVersion !== undefined))
        return 0;
    let n = 0;
    for (const v of Object.values((obj.data ?? {}))) {
        if (typeof v !== 'string')
            continue;
        const decoded = Buffer.from(v, 'base64').toString('utf8');
        (0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .registerSecret */ .cl)(decoded);
        // A value that is not valid base64 text is registered as written too.
        (0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .registerSecret */ .cl)(v);
        n++;
    }
    for (const v of Object.values((obj.stringData ?? {}))) {
        if (typeof v !== 'string')
            continue;
        (0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .registerSecret */ .cl)(v);
        n++;
    }
    return n;
}


/***/ }),

/***/ 8076:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   K: () => (/* binding */ STATE_CHECKS),
/* harmony export */   l: () => (/* binding */ StateRecord)
/* harmony export */ });
/* harmony import */ var _labels_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8550);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6384);
/**
 * State that must outlive a job lives in the target cluster: a ConfigMap
 * `phase-gate-<plan>` for the small index (deployment state, its history, the
 * last runs, the last known-good version) and a Secret
 * `phase-gate-<plan>-<run>` per run for what may hold secret data (the live
 * objects recorded before a phase, ConfigMaps and Secrets among them).
 */


/** The check that moves a deployment into each state, and the gate that runs it (DESIGN "Deployment states"). */
const STATE_CHECKS = {
    'images-ready': 'reality-check: it passed with every image of the plan pullable (not while a release is in flight)',
    packaged: "phase: before the run's first change, its manifests passed the server's dry run (a Helm phase: the chart rendered)",
    deploying: 'phase / rollout: the first object applied, or the canary shifted',
    active: 'validate: every validation check and the rollback test passed; rollout: the last stage reached 100 %',
    stable: 'soak: the window passed with enough samples and no violation',
    degraded: 'soak: readiness lost, restarts grew, or a threshold breached N of M samples',
    'rolling-back': 'rollback / rollout trigger / soak.onDegraded: a rollback started',
    'previous-stable': 'rollback: the level verified the previous version back',
    failed: 'rollback: the level could not verify the previous version'
};
const HISTORY_LIMIT = 50;
/** The plan's state record in the target namespace. */
class StateRecord {
    cluster;
    plan;
    namespace;
    keepRuns;
    indexName;
    constructor(cluster, plan, namespace, keepRuns = 20) {
        this.cluster = cluster;
        this.plan = plan;
        this.namespace = namespace;
        this.keepRuns = keepRuns;
        this.indexName = (0,_labels_js__WEBPACK_IMPORTED_MODULE_1__/* .dnsName */ .Tu)(`phase-gate-${plan}`, 253);
    }
    /** Name of a run's Secret. */
    runSecretName(runId) {
        return (0,_labels_js__WEBPACK_IMPORTED_MODULE_1__/* .dnsName */ .Tu)(`phase-gate-${this.plan}-${runId}`, 253);
    }
    ref(kind, name) {
        return { apiVersion: 'v1', kind, name, namespace: this.namespace };
    }
    /** The index, or an empty one when none was written yet. */
    async readIndex() {
        const cm = await this.cluster.get(this.ref('ConfigMap', this.indexName));
        return parseIndex(cm, this.plan, this.namespace);
    }
    /** Read-modify-write of the index with optimistic concurrency (retried on conflict). */
    async updateIndex(mutate) {
        for (let attempt = 0;; attempt++) {
            const cm = await this.cluster.get(this.ref('ConfigMap', this.indexName));
            const index = parseIndex(cm, this.plan, this.namespace);
            mutate(index);
            index.history = index.history.slice(-HISTORY_LIMIT);
            index.runs = index.runs.slice(-this.keepRuns);
            const body = {
                apiVersion: 'v1',
                kind: 'ConfigMap',
                metadata: {
                    name: this.indexName,
                    namespace: this.namespace,
                    labels: { [_labels_js__WEBPACK_IMPORTED_MODULE_1__/* .LABEL_MANAGED_BY */ .dq]: 'phase-gate', [_labels_js__WEBPACK_IMPORTED_MODULE_1__/* .LABEL_PLAN */ .LJ]: (0,_labels_js__WEBPACK_IMPORTED_MODULE_1__/* .labelValue */ .w)(this.plan) },
                    ...(cm ? { resourceVersion: cm.metadata.resourceVersion } : {})
                },
                data: { 'state.json': JSON.stringify(index, null, 1) }
            };
            try {
                if (cm)
                    await this.cluster.replace(body);
                else
                    await this.cluster.create(body);
                return index;
            }
            catch (err) {
                const conflict = err instanceof _types_js__WEBPACK_IMPORTED_MODULE_0__/* .KubeApiError */ .W3 && (err.status === 409 || err.reason === 'AlreadyExists');
                if (!conflict || attempt >= 8)
                    throw err;
            }
        }
    }
    /** Moves the deployment to a new state, keeping the transition in its history (`at`: the gate's clock, default now). */
    async transition(state, runId, reason, at = new Date().toISOString()) {
        return this.updateIndex(index => {
            if (index.state !== state)
                index.stateSince = at;
            index.state = state;
            index.history.push({ state, at, runId, reason });
        });
    }
    /** Writes (creates or updates) one phase's record into the run's Secret. */
    async writePhase(rec) {
        await this.writeRunData(rec.runId, `phase.${(0,_labels_js__WEBPACK_IMPORTED_MODULE_1__/* .dnsName */ .Tu)(rec.phase, 200)}.json`, JSON.stringify(rec));
    }
    /** The record of one phase in one run, if written. */
    async readPhase(runId, phase) {
        const text = await this.readRunData(runId, `phase.${(0,_labels_js__WEBPACK_IMPORTED_MODULE_1__/* .dnsName */ .Tu)(phase, 200)}.json`);
        return text ? JSON.parse(text) : undefined;
    }
    /** Every phase record of a run. */
    async readPhases(runId) {
        const secret = await this.cluster.get(this.ref('Secret', this.runSecretName(runId)));
        const data = (secret?.data ?? {});
        return Object.entries(data)
            .filter(([k]) => k.startsWith('phase.'))
            .map(([, v]) => JSON.parse(Buffer.from(v, 'base64').toString('utf8')));
    }
    /** One key of the run's Secret, decoded. */
    async readRunData(runId, key) {
        const secret = await this.cluster.get(this.ref('Secret', this.runSecretName(runId)));
        const v = secret?.data?.[key];
        return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
    }
    /** Writes one key of the run's Secret (server-side apply: other keys stay). */
    async writeRunData(runId, key, value) {
        const name = this.runSecretName(runId);
        await this.cluster.apply({
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: {
                name,
                namespace: this.namespace,
                labels: {
                    [_labels_js__WEBPACK_IMPORTED_MODULE_1__/* .LABEL_MANAGED_BY */ .dq]: 'phase-gate',
                    [_labels_js__WEBPACK_IMPORTED_MODULE_1__/* .LABEL_PLAN */ .LJ]: (0,_labels_js__WEBPACK_IMPORTED_MODULE_1__/* .labelValue */ .w)(this.plan),
                    [_labels_js__WEBPACK_IMPORTED_MODULE_1__/* .LABEL_RUN */ .Bt]: (0,_labels_js__WEBPACK_IMPORTED_MODULE_1__/* .labelValue */ .w)(runId)
                }
            },
            type: 'Opaque',
            data: { [key]: Buffer.from(value).toString('base64') }
        }, 
        // One field manager per key, so applying one key never drops another.
        { fieldManager: `phase-gate-${(0,_labels_js__WEBPACK_IMPORTED_MODULE_1__/* .dnsName */ .Tu)(key, 100)}`.slice(0, 128) });
    }
    /** Deletes run Secrets beyond the newest `keepRuns` runs of the index. */
    async pruneRuns() {
        const index = await this.readIndex();
        const keep = new Set(index.runs.slice(-this.keepRuns).map(r => this.runSecretName(r.runId)));
        const { items } = await this.cluster.list('v1', 'Secret', {
            namespace: this.namespace,
            labelSelector: `${_labels_js__WEBPACK_IMPORTED_MODULE_1__/* .LABEL_MANAGED_BY */ .dq}=phase-gate,${_labels_js__WEBPACK_IMPORTED_MODULE_1__/* .LABEL_PLAN */ .LJ}=${(0,_labels_js__WEBPACK_IMPORTED_MODULE_1__/* .labelValue */ .w)(this.plan)}`
        });
        const doomed = items.filter(s => s.metadata.name.startsWith(`${this.indexName}-`) && !keep.has(s.metadata.name));
        await Promise.all(doomed.map(s => this.cluster.delete(this.ref('Secret', s.metadata.name))));
        return doomed.map(s => s.metadata.name);
    }
}
function parseIndex(cm, plan, namespace) {
    const text = cm?.data?.['state.json'];
    const empty = { plan, namespace, history: [], runs: [] };
    if (!text)
        return empty;
    try {
        return { ...empty, ...JSON.parse(text) };
    }
    catch {
        return empty;
    }
}


/***/ }),

/***/ 6384:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   H8: () => (/* binding */ refOf),
/* harmony export */   Np: () => (/* binding */ splitApiVersion),
/* harmony export */   Ro: () => (/* binding */ describeRef),
/* harmony export */   W3: () => (/* binding */ KubeApiError),
/* harmony export */   fJ: () => (/* binding */ joinApiVersion)
/* harmony export */ });
/**
 * The `Cluster` interface gates and checks talk to. Only the adapter in
 * `client.ts` imports `@kubernetes/client-node`; unit tests hand in fakes.
 */
/** An error answered by the API server (or the transport to it). */
class KubeApiError extends Error {
    status;
    reason;
    details;
    transport;
    constructor(message, status, reason, details, 
    /** True when no answer arrived (connection refused, reset, timeout). */
    transport = false) {
        super(message);
        this.status = status;
        this.reason = reason;
        this.details = details;
        this.transport = transport;
        this.name = 'KubeApiError';
    }
}
/** Splits `apps/v1` into group and version (`v1` → core group ''). */
function splitApiVersion(apiVersion) {
    const i = apiVersion.indexOf('/');
    return i < 0
        ? { group: '', version: apiVersion }
        : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}
/** Joins group and version into an apiVersion. */
function joinApiVersion(group, version) {
    return group ? `${group}/${version}` : version;
}
/** `Kind namespace/name` for messages. */
function describeRef(ref) {
    const name = 'metadata' in ref ? ref.metadata.name : ref.name;
    const ns = 'metadata' in ref ? ref.metadata.namespace : ref.namespace;
    return `${ref.kind} ${ns ? `${ns}/` : ''}${name}`;
}
/** ObjectRef of an object. */
function refOf(obj) {
    return {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: obj.metadata.name,
        namespace: obj.metadata.namespace
    };
}


/***/ }),

/***/ 2511:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A: () => (/* binding */ matchesRecorded),
/* harmony export */   _: () => (/* binding */ undoApplied)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/* harmony import */ var _apply_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9501);
/* harmony import */ var _wait_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8368);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6384);
/**
 * Undo of a phase: delete what it created (except PVCs and objects marked
 * keep), restore what existed before to its recorded state, then verify both.
 * With `dryRun` it is the rollback test: the same requests as a server-side
 * dry run, reporting what would be deleted, restored and kept.
 */




/** True when the live object's spec-like content equals the recorded one (workload templates included). */
function matchesRecorded(live, before) {
    const pick = (o) => {
        const x = o;
        return {
            spec: x.spec,
            data: x.data,
            binaryData: x.binaryData,
            stringData: x.stringData,
            rules: x.rules,
            subjects: x.subjects,
            roleRef: x.roleRef
        };
    };
    return JSON.stringify(normalise(pick(live))) === JSON.stringify(normalise(pick(before)));
}
function normalise(v) {
    if (Array.isArray(v))
        return v.map(normalise);
    if (v && typeof v === 'object') {
        const out = {};
        for (const k of Object.keys(v).sort()) {
            const val = v[k];
            if (val !== undefined && val !== null)
                out[k] = normalise(val);
        }
        return out;
    }
    return v;
}
/** Undoes applied objects in reverse install order, then verifies. */
async function undoApplied(cluster, applied, opts) {
    const started = opts.clock.now();
    const steps = [];
    const ordered = (0,_apply_js__WEBPACK_IMPORTED_MODULE_1__/* .installOrder */ .sj)(applied.map(a => ({
        object: {
            apiVersion: a.ref.apiVersion,
            kind: a.ref.kind,
            metadata: { name: a.ref.name }
        },
        a
    }))).reverse();
    for (const { a } of ordered) {
        if (a.created && a.kept) {
            steps.push({
                action: 'keep',
                ref: a.ref,
                ok: true,
                message: `${(0,_types_js__WEBPACK_IMPORTED_MODULE_3__/* .describeRef */ .Ro)(a.ref)} kept (holds data or is marked keep)`
            });
            continue;
        }
        try {
            if (a.created) {
                await cluster.delete(a.ref, { dryRun: opts.dryRun, propagationPolicy: 'Foreground' });
                steps.push({
                    action: 'delete',
                    ref: a.ref,
                    ok: true,
                    message: `${opts.dryRun ? 'would delete' : 'deleted'} ${(0,_types_js__WEBPACK_IMPORTED_MODULE_3__/* .describeRef */ .Ro)(a.ref)}`
                });
            }
            else if (a.before) {
                await restore(cluster, a.before, opts.dryRun);
                steps.push({
                    action: 'restore',
                    ref: a.ref,
                    ok: true,
                    message: `${opts.dryRun ? 'would restore' : 'restored'} ${(0,_types_js__WEBPACK_IMPORTED_MODULE_3__/* .describeRef */ .Ro)(a.ref)} to its recorded state`
                });
            }
        }
        catch (err) {
            steps.push({
                action: a.created ? 'delete' : 'restore',
                ref: a.ref,
                ok: false,
                message: `${(0,_types_js__WEBPACK_IMPORTED_MODULE_3__/* .describeRef */ .Ro)(a.ref)}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`
            });
        }
    }
    if (opts.dryRun) {
        const ok = steps.every(s => s.ok);
        return {
            ok,
            steps,
            verified: ok,
            verifyMessage: ok
                ? 'the server accepted every undo request as a dry run'
                : 'the server refused part of the undo',
            durationMs: opts.clock.now() - started
        };
    }
    const left = Math.max(1000, opts.timeoutMs - (opts.clock.now() - started));
    const deleted = steps.filter(s => s.action === 'delete' && s.ok).map(s => s.ref);
    const restored = applied.filter(a => !a.created &&
        a.before &&
        steps.some(s => s.action === 'restore' && s.ok && (0,_apply_js__WEBPACK_IMPORTED_MODULE_1__/* .key */ .Eb)(s.ref) === (0,_apply_js__WEBPACK_IMPORTED_MODULE_1__/* .key */ .Eb)(a.ref)));
    const [gone, current] = await Promise.all([
        deleted.length
            ? (0,_wait_js__WEBPACK_IMPORTED_MODULE_2__/* .waitForGone */ .iY)(cluster, deleted, { timeoutMs: left, clock: opts.clock, signal: opts.signal })
            : undefined,
        restored.length
            ? (0,_wait_js__WEBPACK_IMPORTED_MODULE_2__/* .waitForObjects */ .Ld)(cluster, restored.map(a => a.ref), { timeoutMs: left, clock: opts.clock, signal: opts.signal })
            : undefined
    ]);
    const problems = [];
    if (gone && gone.result !== 'done')
        problems.push(`not gone: ${gone.message}`);
    if (current && current.result !== 'done')
        problems.push(`not back to ready: ${current.message}`);
    for (const a of restored) {
        const live = await cluster.get(a.ref);
        if (!live || !a.before || !matchesRecorded(live, a.before))
            problems.push(`${(0,_types_js__WEBPACK_IMPORTED_MODULE_3__/* .describeRef */ .Ro)(a.ref)} differs from its recorded state`);
    }
    const verified = problems.length === 0;
    return {
        ok: steps.every(s => s.ok) && verified,
        steps,
        verified,
        verifyMessage: verified
            ? `verified: ${deleted.length} deleted and gone, ${restored.length} restored and ready`
            : problems.join('; '),
        durationMs: opts.clock.now() - started
    };
}
/** Puts an object back to a recorded state (a full replace on the live resourceVersion, retried on conflict). */
async function restore(cluster, before, dryRun) {
    for (let attempt = 0;; attempt++) {
        const live = await cluster.get({
            apiVersion: before.apiVersion,
            kind: before.kind,
            name: before.metadata.name,
            namespace: before.metadata.namespace
        });
        if (!live) {
            await cluster.create(before, { dryRun });
            return;
        }
        try {
            await cluster.replace({
                ...before,
                metadata: { ...before.metadata, resourceVersion: live.metadata.resourceVersion }
            }, { dryRun });
            return;
        }
        catch (err) {
            if (!(err instanceof _types_js__WEBPACK_IMPORTED_MODULE_3__/* .KubeApiError */ .W3 && err.status === 409) || attempt >= 5)
                throw err;
        }
    }
}


/***/ }),

/***/ 8368:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ld: () => (/* binding */ waitForObjects),
/* harmony export */   g$: () => (/* binding */ untilCurrent),
/* harmony export */   iY: () => (/* binding */ waitForGone)
/* harmony export */ });
/* harmony import */ var _core_clock_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2257);
/* harmony import */ var _core_duration_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8571);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4296);
/* harmony import */ var _pod_failures_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4312);
/* harmony import */ var _readiness_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5153);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6384);
/**
 * Watch-based waiting: one LIST then a WATCH from its resourceVersion per
 * (apiVersion, kind, namespace) group, a decision on every event, a relist on
 * 410 Gone or a failed stream, and a resume from the last resourceVersion when
 * the server ends a stream; retries back off (bounded). Never a sleep loop: the verdict comes from the event that
 * made it true. With `failFast`, the Pods and ReplicaSets of the workloads
 * waited on are watched too, and a known-hopeless cause (pod-failures.ts)
 * ends the wait at once.
 */






/**
 * The default decision: kstatus Current is done and Failed is failed. A Pod
 * that completed unsuccessfully is Current to kstatus (it will not change
 * any more); a deployment gate calls it failed.
 */
function untilCurrent(obj, ctx) {
    if (obj?.kind === 'Pod' && obj.status?.phase === 'Failed') {
        return { failed: (0,_pod_failures_js__WEBPACK_IMPORTED_MODULE_3__/* .podFailure */ .MQ)(obj)?.message ?? 'Pod failed' };
    }
    if (ctx.status.status === 'Current')
        return 'done';
    if (ctx.status.status === 'Failed') {
        return { failed: ctx.status.message || ctx.status.reason || 'Failed' };
    }
    return 'pending';
}
/** Waits until every target satisfies `until` (default kstatus Current), one fails, or time runs out. */
function waitForObjects(cluster, targets, opts) {
    return new Waiter(cluster, targets, opts).run();
}
/** Waits until every object is gone (DELETED, or absent from the list). */
function waitForGone(cluster, refs, opts) {
    return waitForObjects(cluster, refs, { ...opts, until: obj => (obj ? 'pending' : 'done') });
}
const objectKey = (namespace, name) => `${namespace ?? ''}/${name}`;
/** Statuses that end a stream attempt without being worth a retry. */
function isFatal(err) {
    return (err instanceof _types_js__WEBPACK_IMPORTED_MODULE_5__/* .KubeApiError */ .W3 &&
        !err.transport &&
        [400, 401, 403, 405, 406, 415, 422].includes(err.status));
}
function isGone(err) {
    return err instanceof _types_js__WEBPACK_IMPORTED_MODULE_5__/* .KubeApiError */ .W3 && err.status === 410;
}
class Waiter {
    cluster;
    refs;
    opts;
    clock;
    until;
    stop = new AbortController();
    startedAt;
    stats = { lists: 0, relists: 0, watches: 0, reconnects: 0, events: 0 };
    warnings = [];
    informers = new Map();
    targets = [];
    finished = false;
    resolve = () => undefined;
    onAbort = () => this.finish('cancelled');
    constructor(cluster, refs, opts) {
        this.cluster = cluster;
        this.refs = refs;
        this.opts = opts;
        this.clock = opts.clock ?? _core_clock_js__WEBPACK_IMPORTED_MODULE_0__/* .systemClock */ .m;
        this.until = opts.until ?? untilCurrent;
        this.startedAt = this.clock.now();
    }
    run() {
        const done = new Promise(resolve => (this.resolve = resolve));
        if (this.opts.signal?.aborted) {
            this.finish('cancelled');
            return done;
        }
        this.opts.signal?.addEventListener('abort', this.onAbort, { once: true });
        this.clock.sleep(Math.max(0, this.opts.timeoutMs), this.stop.signal).then(() => this.finish('timeout'), () => undefined);
        void this.start().catch(err => this.finish('error', undefined, (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(err)));
        return done;
    }
    async start() {
        const refs = await Promise.all(this.refs.map(r => this.resolveNamespace(r)));
        if (this.finished)
            return;
        const groups = new Map();
        for (const ref of refs) {
            const k = `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ''}`;
            groups.set(k, [...(groups.get(k) ?? []), ref]);
        }
        for (const members of groups.values()) {
            const { apiVersion, kind, namespace } = members[0];
            const names = new Set(members.map(m => m.name));
            const sel = { apiVersion, kind, namespace };
            // One object: the server filters by name; several: by the caller's labels if any.
            if (names.size === 1)
                sel.fieldSelector = `metadata.name=${members[0].name}`;
            else if (this.opts.labelSelector)
                sel.labelSelector = this.opts.labelSelector;
            const informer = this.informer(sel, true);
            for (const ref of members) {
                this.targets.push({
                    ref,
                    key: objectKey(ref.namespace, ref.name),
                    informer,
                    entry: { ref, state: 'pending', status: { status: 'Unknown', message: 'not listed yet' } }
                });
            }
        }
        this.evaluate();
    }
    /** A namespaced kind without a namespace means the context's default namespace, as kubectl does. */
    async resolveNamespace(ref) {
        if (ref.namespace)
            return ref;
        try {
            const info = await this.cluster.resourceFor(ref.apiVersion, ref.kind);
            if (info?.namespaced)
                return { ...ref, namespace: this.cluster.defaultNamespace ?? 'default' };
        }
        catch {
            // Discovery failing is not this wait's problem; the list will say what is wrong.
        }
        return ref;
    }
    informer(sel, primary) {
        const key = [
            sel.apiVersion,
            sel.kind,
            sel.namespace,
            sel.labelSelector,
            sel.fieldSelector
        ].join('|');
        let inf = this.informers.get(key);
        if (!inf) {
            inf = new Informer(this.cluster, sel, {
                clock: this.clock,
                stats: this.stats,
                watchTimeoutSeconds: this.opts.watchTimeoutSeconds ?? 300,
                initialBackoffMs: this.opts.retry?.initialMs ?? 200,
                maxBackoffMs: this.opts.retry?.maxMs ?? 5000,
                onChange: () => this.evaluate(),
                onFatal: message => {
                    const what = `cannot list/watch ${sel.kind}${sel.namespace ? ` in ${sel.namespace}` : ''}: ${message}`;
                    if (primary)
                        this.finish('error', undefined, what);
                    else
                        this.warnings.push(`${what} (fail-fast checks of ${sel.kind} are off)`);
                }
            });
            this.informers.set(key, inf);
            void inf.run(this.stop.signal);
        }
        return inf;
    }
    /** Decides every target from what the informers hold; ends the wait when that settles it. */
    evaluate() {
        if (this.finished)
            return;
        try {
            const now = this.clock.now();
            let firstFailure;
            for (const t of this.targets) {
                this.decide(t, now);
                if (t.entry.state === 'failed' && !firstFailure)
                    firstFailure = t.entry.failure;
            }
            if (firstFailure)
                this.finish('failed', firstFailure);
            else if (this.targets.length === this.refs.length &&
                this.targets.every(t => t.entry.state === 'done')) {
                this.finish('done');
            }
        }
        catch (err) {
            this.finish('error', undefined, `deciding readiness failed: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(err)}`);
        }
    }
    decide(t, now) {
        const e = t.entry;
        const before = `${e.state}|${e.status.status}|${e.status.message}`;
        if (!t.informer.synced) {
            const why = t.informer.lastError
                ? `not listed yet: ${t.informer.lastError}`
                : 'not listed yet';
            e.status = { status: 'Unknown', message: why };
            e.state = 'pending';
        }
        else {
            const obj = t.informer.store.get(t.key);
            e.object = obj;
            e.status = (0,_readiness_js__WEBPACK_IMPORTED_MODULE_4__/* .computeStatus */ .ee)(obj, { now });
            const decision = this.until(obj, {
                ref: t.ref,
                status: e.status,
                elapsedMs: now - this.startedAt
            });
            if (decision === 'done') {
                if (e.state !== 'done') {
                    e.readyAt = now;
                    e.readyAfterMs = now - this.startedAt;
                }
                e.state = 'done';
                e.failure = undefined;
            }
            else if (typeof decision === 'object') {
                e.state = 'failed';
                e.failure = { ref: t.ref, reason: e.status.reason ?? 'Failed', message: decision.failed };
            }
            else {
                const cause = this.opts.failFast && obj ? this.failFastCause(obj, now) : undefined;
                e.state = cause ? 'failed' : 'pending';
                e.failure = cause && toFailure(t.ref, cause);
            }
        }
        const after = `${e.state}|${e.status.status}|${e.status.message}`;
        if (after !== before && this.opts.onProgress) {
            const done = this.targets.filter(x => x.entry.state === 'done').length;
            this.opts.onProgress({
                ref: t.ref,
                state: e.state,
                status: e.status,
                done,
                total: this.refs.length
            });
        }
    }
    /** A hopeless cause on the object itself, its current ReplicaSet or its current Pods. */
    failFastCause(obj, now) {
        const podOpts = { now, unschedulableGraceMs: this.opts.unschedulableGraceMs };
        if (obj.kind === 'Pod')
            return (0,_pod_failures_js__WEBPACK_IMPORTED_MODULE_3__/* .podFailure */ .MQ)(obj, podOpts);
        if (!_pod_failures_js__WEBPACK_IMPORTED_MODULE_3__/* .POD_OWNER_KINDS */ .UF.has(obj.kind))
            return undefined;
        const own = (0,_pod_failures_js__WEBPACK_IMPORTED_MODULE_3__/* .workloadFailure */ .QC)(obj);
        if (own)
            return own;
        const selector = (0,_pod_failures_js__WEBPACK_IMPORTED_MODULE_3__/* .labelSelectorOf */ .P5)(obj);
        if (!selector)
            return undefined;
        const namespace = obj.metadata.namespace;
        const pods = this.informer({ apiVersion: 'v1', kind: 'Pod', namespace, labelSelector: selector }, false);
        let replicaSets = [];
        if (obj.kind === 'Deployment') {
            const rsInformer = this.informer({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace, labelSelector: selector }, false);
            replicaSets = [...rsInformer.store.values()];
            const rs = (0,_pod_failures_js__WEBPACK_IMPORTED_MODULE_3__/* .currentReplicaSet */ .kw)(obj, replicaSets);
            const rsCause = rs && (0,_pod_failures_js__WEBPACK_IMPORTED_MODULE_3__/* .workloadFailure */ .QC)(rs);
            if (rsCause)
                return rsCause;
        }
        for (const pod of (0,_pod_failures_js__WEBPACK_IMPORTED_MODULE_3__/* .currentPods */ .Qc)(obj, pods.store.values(), replicaSets)) {
            const cause = (0,_pod_failures_js__WEBPACK_IMPORTED_MODULE_3__/* .podFailure */ .MQ)(pod, podOpts);
            // A controller replaces a Pod that merely ended; only causes that recur count.
            if (cause && cause.category !== 'exit')
                return cause;
        }
        return undefined;
    }
    finish(result, failure, errorText) {
        if (this.finished)
            return;
        if (result === 'timeout') {
            // Time ran out while the server could not be asked: the objects' state is
            // unknown, so this is "could not check" (exit 3), never a verdict on them.
            const blind = this.targets.find(t => t.informer.lastError !== undefined && t.entry.state !== 'done');
            if (blind) {
                result = 'error';
                errorText = `could not observe ${(0,_types_js__WEBPACK_IMPORTED_MODULE_5__/* .describeRef */ .Ro)(blind.ref)} when the wait ran out after ${(0,_core_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a3)(this.clock.now() - this.startedAt)}: ${blind.informer.lastError}`;
            }
        }
        this.finished = true;
        this.stop.abort();
        this.opts.signal?.removeEventListener('abort', this.onAbort);
        const now = this.clock.now();
        const objects = this.targets.length
            ? this.targets.map(t => t.entry)
            : this.refs.map(ref => ({
                ref,
                state: 'pending',
                status: { status: 'Unknown', message: 'not listed yet' }
            }));
        const durationMs = now - this.startedAt;
        this.resolve({
            result,
            message: this.describe(result, objects, durationMs, failure, errorText),
            startedAt: this.startedAt,
            durationMs,
            objects,
            failure,
            warnings: this.warnings,
            stats: this.stats
        });
    }
    describe(result, objects, durationMs, failure, errorText) {
        const took = (0,_core_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a3)(durationMs);
        const pending = objects
            .filter(o => o.state !== 'done')
            .map(o => `${(0,_types_js__WEBPACK_IMPORTED_MODULE_5__/* .describeRef */ .Ro)(o.ref)} ${o.status.status}: ${o.status.message}`);
        switch (result) {
            case 'done':
                return `${objects.length} object${objects.length === 1 ? '' : 's'} ready after ${took}`;
            case 'failed':
                return `${(0,_types_js__WEBPACK_IMPORTED_MODULE_5__/* .describeRef */ .Ro)(failure?.ref ?? objects[0].ref)} failed after ${took}: ${failure?.reason ?? 'Failed'}: ${failure?.message ?? ''}`;
            case 'timeout':
                return `timed out after ${took}; not ready: ${pending.join('; ')}`;
            case 'cancelled':
                return `cancelled after ${took}; not ready: ${pending.join('; ')}`;
            case 'error':
                return errorText ?? 'wait failed';
        }
    }
}
function toFailure(ref, cause) {
    const same = cause.source.kind === ref.kind &&
        cause.source.name === ref.name &&
        cause.source.namespace === ref.namespace;
    return {
        ref,
        reason: cause.reason,
        message: cause.message,
        source: same ? undefined : cause.source,
        category: cause.category,
        container: cause.container,
        image: cause.image
    };
}
/** A list+watch cache of one selection, kept until the wait's signal aborts. */
class Informer {
    cluster;
    sel;
    deps;
    store = new Map();
    synced = false;
    /** The last error of a list or watch attempt, shown while nothing is listed. */
    lastError;
    constructor(cluster, sel, deps) {
        this.cluster = cluster;
        this.sel = sel;
        this.deps = deps;
    }
    async run(signal) {
        const { apiVersion, kind, namespace, labelSelector, fieldSelector } = this.sel;
        const { stats } = this.deps;
        let rv;
        // Consecutive attempts that brought no event; reset by any event.
        let failures = 0;
        while (!signal.aborted) {
            try {
                if (rv === undefined) {
                    const listed = await this.cluster.list(apiVersion, kind, {
                        namespace,
                        labelSelector,
                        fieldSelector
                    });
                    if (signal.aborted)
                        return;
                    stats.lists++;
                    if (this.synced)
                        stats.relists++;
                    this.store.clear();
                    for (const o of listed.items)
                        this.store.set(objectKey(o.metadata.namespace, o.metadata.name), o);
                    rv = listed.resourceVersion;
                    this.synced = true;
                    this.lastError = undefined;
                    this.deps.onChange();
                }
                if (signal.aborted)
                    return;
                // Its own controller so an ERROR event can end this stream alone.
                const stream = new AbortController();
                const streamSignal = AbortSignal.any([signal, stream.signal]);
                let gone = false;
                let errorEvent;
                stats.watches++;
                await this.cluster.watch(apiVersion, kind, {
                    namespace,
                    labelSelector,
                    fieldSelector,
                    resourceVersion: rv,
                    allowBookmarks: true,
                    timeoutSeconds: this.deps.watchTimeoutSeconds,
                    signal: streamSignal
                }, (ev) => {
                    if (streamSignal.aborted)
                        return;
                    if (ev.type === 'ERROR') {
                        // The apiserver reports an expired resourceVersion as an ERROR event with code 410.
                        const code = ev.object.code;
                        if (code === 410)
                            gone = true;
                        else
                            errorEvent = String(ev.object.message ?? `watch error ${String(code)}`);
                        stream.abort();
                        return;
                    }
                    failures = 0;
                    const evRv = ev.object.metadata.resourceVersion;
                    if (evRv)
                        rv = evRv;
                    if (ev.type === 'BOOKMARK')
                        return;
                    stats.events++;
                    const key = objectKey(ev.object.metadata.namespace, ev.object.metadata.name);
                    if (ev.type === 'DELETED')
                        this.store.delete(key);
                    else
                        this.store.set(key, ev.object);
                    this.deps.onChange();
                });
                if (signal.aborted)
                    return;
                if (gone) {
                    rv = undefined;
                    failures++;
                }
                else if (errorEvent !== undefined) {
                    throw new _types_js__WEBPACK_IMPORTED_MODULE_5__/* .KubeApiError */ .W3(errorEvent, 500, 'WatchError');
                }
                else {
                    // The server ended the stream (its timeout) or the connection dropped: resume from rv.
                    stats.reconnects++;
                    failures++;
                }
            }
            catch (err) {
                if (signal.aborted)
                    return;
                if (isGone(err)) {
                    rv = undefined;
                    failures++;
                }
                else if (isFatal(err)) {
                    this.lastError = (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(err);
                    this.deps.onFatal((0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(err));
                    return;
                }
                else {
                    this.lastError = (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(err);
                    if (rv !== undefined)
                        stats.reconnects++;
                    // As client-go's reflector does: after a failed (not ended) watch, relist.
                    // The failure may hide an expired resourceVersion (a 410 a transport
                    // or proxy turned into a reset), from which no watch would ever resume.
                    rv = undefined;
                    failures++;
                    // Nothing listed yet: let the pending status say why.
                    if (!this.synced)
                        this.deps.onChange();
                }
            }
            // The first retry is immediate (a dropped stream or one 410 is routine); then back off.
            if (failures > 1) {
                const delay = Math.min(this.deps.maxBackoffMs, this.deps.initialBackoffMs * 2 ** Math.min(failures - 2, 20));
                try {
                    await this.deps.clock.sleep(delay, signal);
                }
                catch {
                    return;
                }
            }
        }
    }
}


/***/ }),

/***/ 6817:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Cu: () => (/* binding */ levelBudgetMs),
/* harmony export */   OU: () => (/* binding */ budgetMs),
/* harmony export */   Uz: () => (/* binding */ rollbackBudgetMs),
/* harmony export */   X6: () => (/* binding */ DEFAULT_SOAK_WINDOW_MS),
/* harmony export */   Yd: () => (/* binding */ budgetTable),
/* harmony export */   bb: () => (/* binding */ phaseBudgetMs)
/* harmony export */ });
/* unused harmony exports SIZE_BUDGET_MINUTES, DEFAULT_BUDGET_SIZE, LEVEL_BUDGET_MS, ROLLOUT_SLACK_MS, SOAK_SLACK_MS, RECORD_BUDGET_MS, sizeDefaultMs */
/* harmony import */ var _core_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8571);
/* harmony import */ var _defaults_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7621);
/**
 * Time budgets: what a plan gives under `budgets` (and per phase or rollback
 * level), otherwise the defaults for its size. Every gate reports the time it
 * used against this number.
 *
 * Defaults (minutes), by `budgets.size` simple / medium / complex:
 *   reality-check 10/30/60, tracer 5/15/30, plan 10/20/40, phase 15/45/90
 *   (per phase), validate 5/15/30. A plan without a size is `simple`, whose
 *   column is the budgets of the DESIGN example.
 * Derived defaults: rollout = the sum of the stage holds + 10m (time to shift
 * weights and judge between holds); soak = its window (default 24h) + 5m;
 * a phase's own rollback = `budgets.rollback`, else that phase's budget;
 * rollback levels flag 1m, config 5m, code 15m.
 */


const MINUTE = 60_000;
/** Default budgets in minutes per size, from DESIGN "Domain details". */
const SIZE_BUDGET_MINUTES = {
    simple: { 'reality-check': 10, tracer: 5, plan: 10, phase: 15, validate: 5 },
    medium: { 'reality-check': 30, tracer: 15, plan: 20, phase: 45, validate: 15 },
    complex: { 'reality-check': 60, tracer: 30, plan: 40, phase: 90, validate: 30 }
};
/** Size whose defaults apply when a plan names none. */
const DEFAULT_BUDGET_SIZE = 'simple';
/** Default rollback level budgets (the runbook's "flag < 1 min, config < 5 min, code < 15 min"). */
const LEVEL_BUDGET_MS = {
    flag: 1 * MINUTE,
    config: 5 * MINUTE,
    code: 15 * MINUTE
};
/** Slack added to the stage holds for the rollout's budget. */
const ROLLOUT_SLACK_MS = 10 * MINUTE;
/** Slack added to the soak window for the soak's budget. */
const SOAK_SLACK_MS = 5 * MINUTE;
/** Soak window when the plan gives none: "full rollout healthy for 24 h". */
const DEFAULT_SOAK_WINDOW_MS = 24 * 60 * MINUTE;
/** Budget of the record gate, which only reads reports and renders. */
const RECORD_BUDGET_MS = 5 * MINUTE;
/** The budget of a gate in milliseconds (`record`, which only renders, has a fixed 5m). */
function budgetMs(plan, gate, opts = {}) {
    const budgets = plan.budgets ?? {};
    switch (gate) {
        case 'reality-check':
        case 'tracer':
        case 'plan':
        case 'validate':
            return (0,_core_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .durationMs */ .pc)(budgets[gate], sizeDefaultMs(plan, gate));
        case 'phase':
            return phaseBudgetMs(plan, opts.phase);
        case 'rollback':
            if (opts.level !== undefined)
                return levelBudgetMs(opts.level);
            return rollbackBudgetMs(plan, opts.phase);
        case 'rollout':
            return (0,_core_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .durationMs */ .pc)(budgets.rollout, rolloutDefaultMs(plan));
        case 'soak':
            return (0,_core_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .durationMs */ .pc)(budgets.soak, (0,_core_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .durationMs */ .pc)(plan.soak?.window, DEFAULT_SOAK_WINDOW_MS) + SOAK_SLACK_MS);
        case 'record':
            return RECORD_BUDGET_MS;
    }
}
/** The budget of one phase: its own `budget`, else `budgets.phase`, else the size default. */
function phaseBudgetMs(plan, phase) {
    return (0,_core_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .durationMs */ .pc)(phase?.budget ?? plan.budgets?.phase, sizeDefaultMs(plan, 'phase'));
}
/** The budget of a phase's own undo: `budgets.rollback`, else the phase's budget. */
function rollbackBudgetMs(plan, phase) {
    return (0,_core_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .durationMs */ .pc)(plan.budgets?.rollback, phaseBudgetMs(plan, phase));
}
/** The budget of a rollback level: its own `budget`, else flag 1m, config 5m, code 15m. */
function levelBudgetMs(level) {
    if (typeof level === 'string')
        return LEVEL_BUDGET_MS[level];
    return (0,_core_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .durationMs */ .pc)(level.budget, LEVEL_BUDGET_MS[level.level]);
}
/** The size-table default of a gate for this plan's size. */
function sizeDefaultMs(plan, gate) {
    const size = plan.budgets?.size ?? DEFAULT_BUDGET_SIZE;
    return SIZE_BUDGET_MINUTES[size][gate] * MINUTE;
}
function rolloutDefaultMs(plan) {
    const stages = plan.rollout?.stages?.length ? plan.rollout.stages : _defaults_js__WEBPACK_IMPORTED_MODULE_1__/* .DEFAULT_STAGES */ .m;
    const holds = stages.reduce((sum, s) => sum + (0,_core_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .durationMs */ .pc)(s.hold, 0), 0);
    return holds + ROLLOUT_SLACK_MS;
}
/** Every budget of a plan with where it came from: one row per gate, phase, phase rollback and level. */
function budgetTable(plan) {
    const b = plan.budgets ?? {};
    const sized = (gate) => ({
        gate,
        ms: budgetMs(plan, gate),
        source: b[gate] !== undefined ? 'plan' : 'size'
    });
    const rows = [sized('reality-check')];
    if ((plan.tracers ?? []).length > 0)
        rows.push(sized('tracer'));
    rows.push(sized('plan'));
    for (const phase of plan.phases ?? []) {
        rows.push({
            gate: 'phase',
            name: phase.name,
            ms: phaseBudgetMs(plan, phase),
            source: phase.budget !== undefined ? 'phase' : b.phase !== undefined ? 'plan' : 'size'
        });
        rows.push({
            gate: 'rollback',
            name: phase.name,
            ms: rollbackBudgetMs(plan, phase),
            source: b.rollback !== undefined ? 'plan' : 'derived'
        });
    }
    rows.push(sized('validate'));
    if (plan.rollout) {
        rows.push({
            gate: 'rollout',
            ms: budgetMs(plan, 'rollout'),
            source: b.rollout !== undefined ? 'plan' : 'derived'
        });
    }
    for (const level of plan.rollbackLevels ?? []) {
        rows.push({
            gate: 'rollback',
            name: level.level,
            ms: levelBudgetMs(level),
            source: level.budget !== undefined ? 'level' : 'fixed'
        });
    }
    if (plan.soak) {
        rows.push({
            gate: 'soak',
            ms: budgetMs(plan, 'soak'),
            source: b.soak !== undefined ? 'plan' : 'derived'
        });
    }
    return rows;
}


/***/ }),

/***/ 7621:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   m: () => (/* binding */ DEFAULT_STAGES)
/* harmony export */ });
/** Defaults the plan's semantics rest on, shared by lint, budgets, the plan gate and the rollout gate. */
/** Stages of a rollout that names none (DESIGN "Domain details": canary 1–5 %, partial 10–25 %, majority 50–75 %, full). */
const DEFAULT_STAGES = [
    { name: 'canary', weight: 5, hold: '10m' },
    { name: 'partial', weight: 25, hold: '30m' },
    { name: 'majority', weight: 75, hold: '30m' },
    { name: 'full', weight: 100, hold: '0s' }
];


/***/ }),

/***/ 3700:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Yq: () => (/* binding */ loadPlan),
/* harmony export */   vZ: () => (/* binding */ formatFieldPath)
/* harmony export */ });
/* unused harmony exports DEFAULT_MAX_PLAN_BYTES, MAX_ALIAS_COUNT, parsePlan, firstInvalidUtf8 */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8815);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4296);
/* harmony import */ var _schema_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3633);
/**
 * Reads a plan file: refuses what is not a small UTF-8 YAML document, parses
 * it keeping the position of every node, and validates it against the plan
 * schema. Every problem becomes one line `file:line:col: field.path: what was
 * expected`, so a user can jump to it and the action can annotate it.
 */





/** Default size limit of a plan file: 1 MiB. */
const DEFAULT_MAX_PLAN_BYTES = 1024 * 1024;
/**
 * Aliases may expand to at most this many nodes' worth: plans rarely use
 * anchors at all, and a "billion laughs" file must fail fast, not eat memory.
 */
const MAX_ALIAS_COUNT = 50;
// Tags YAML's core schema resolves; anything else (!!binary, !!set, custom tags)
// would reach the schema as a surprise type, so it is refused by name.
const ALLOWED_TAGS = new Set([
    'tag:yaml.org,2002:str',
    'tag:yaml.org,2002:int',
    'tag:yaml.org,2002:float',
    'tag:yaml.org,2002:bool',
    'tag:yaml.org,2002:null',
    'tag:yaml.org,2002:map',
    'tag:yaml.org,2002:seq'
]);
/** Loads and validates a plan file; throws UsageError listing every problem. `file` resolves against the current directory. */
async function loadPlan(file, opts) {
    const abs = node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(file);
    const displayFile = displayPath(node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(opts.workspace), abs);
    const bytes = await readLimited(abs, displayFile, opts.maxBytes ?? DEFAULT_MAX_PLAN_BYTES);
    const text = decodeText(bytes, displayFile);
    let root = node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(opts.workspace);
    try {
        // Symlinks are judged by where they really lead, so the root must be real too.
        root = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.realpath)(root);
    }
    catch {
        // A workspace that does not exist is compared lexically.
    }
    return parsePlan(text, { file: abs, workspace: opts.workspace, root });
}
/** Parses and validates plan text already read (size and encoding checked by the caller); throws UsageError. */
function parsePlan(text, opts) {
    const abs = node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(opts.file);
    const workspace = node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(opts.workspace);
    const displayFile = displayPath(workspace, abs);
    const source = parseSource(text, displayFile);
    const plan = validate(toData(source, displayFile), source, displayFile);
    return {
        plan,
        file: abs,
        displayFile,
        dir: node_path__WEBPACK_IMPORTED_MODULE_1___default().dirname(abs),
        root: opts.root ?? workspace,
        locate: (p) => source.locate(p, 'field')
    };
}
function displayPath(workspace, abs) {
    const rel = node_path__WEBPACK_IMPORTED_MODULE_1___default().relative(workspace, abs);
    if (rel === '' || rel.startsWith('..') || node_path__WEBPACK_IMPORTED_MODULE_1___default().isAbsolute(rel))
        return abs;
    return rel.split((node_path__WEBPACK_IMPORTED_MODULE_1___default().sep)).join('/');
}
function fail(displayFile, summary, problems) {
    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UsageError */ .eb(`${displayFile}: ${summary}`, problems);
}
function line(displayFile, at, where, message) {
    return `${displayFile}:${at.line}:${at.column}: ${where}: ${message}`;
}
async function readLimited(abs, displayFile, maxBytes) {
    let handle;
    try {
        handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.open)(abs, 'r');
    }
    catch (err) {
        fail(displayFile, 'cannot read the plan file', [
            line(displayFile, { line: 1, column: 1 }, '(file)', `cannot open: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .errorMessage */ .gJ)(err)}`)
        ]);
    }
    try {
        const stat = await handle.stat();
        if (!stat.isFile()) {
            fail(displayFile, 'the plan is not a file', [
                line(displayFile, { line: 1, column: 1 }, '(file)', 'expected a YAML file, got a directory or device')
            ]);
        }
        // Read one byte past the limit so a file growing after stat() is still caught.
        const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
        let length = 0;
        for (;;) {
            const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
            if (bytesRead === 0)
                break;
            length += bytesRead;
            if (length === buffer.length)
                break;
        }
        if (length > maxBytes || stat.size > maxBytes) {
            fail(displayFile, 'the plan file is too large', [
                line(displayFile, { line: 1, column: 1 }, '(file)', `file is ${Math.max(stat.size, length)} bytes; a plan may be at most ${maxBytes} bytes (${formatBytes(maxBytes)}): split it or move data out of it`)
            ]);
        }
        return buffer.subarray(0, length);
    }
    finally {
        await handle.close();
    }
}
function formatBytes(n) {
    if (n % (1024 * 1024) === 0)
        return `${n / (1024 * 1024)} MiB`;
    if (n % 1024 === 0)
        return `${n / 1024} KiB`;
    return `${n} bytes`;
}
function decodeText(bytes, displayFile) {
    const nul = bytes.indexOf(0);
    if (nul >= 0) {
        fail(displayFile, 'the plan file is binary', [
            line(displayFile, positionOfByte(bytes, nul), '(file)', `binary data (a NUL byte at offset ${nul}): a plan must be UTF-8 YAML text`)
        ]);
    }
    const bad = firstInvalidUtf8(bytes);
    if (bad >= 0) {
        fail(displayFile, 'the plan file is not UTF-8', [
            line(displayFile, positionOfByte(bytes, bad), '(file)', `invalid UTF-8 at offset ${bad}: a plan must be UTF-8 YAML text`)
        ]);
    }
    // TextDecoder drops a leading BOM, which YAML would otherwise keep in the first key.
    return new TextDecoder('utf-8').decode(bytes);
}
function positionOfByte(bytes, offset) {
    let lineNo = 1;
    let start = 0;
    for (let i = 0; i < offset; i++) {
        if (bytes[i] === 0x0a) {
            lineNo++;
            start = i + 1;
        }
    }
    return { line: lineNo, column: offset - start + 1 };
}
/** Offset of the first byte that breaks UTF-8 (overlong forms and surrogates included), or -1. */
function firstInvalidUtf8(bytes) {
    let i = 0;
    while (i < bytes.length) {
        const b = bytes[i];
        if (b < 0x80) {
            i++;
            continue;
        }
        let need;
        let min;
        if (b >= 0xc2 && b <= 0xdf)
            [need, min] = [1, 0x80];
        else if (b >= 0xe0 && b <= 0xef)
            [need, min] = [2, 0x800];
        else if (b >= 0xf0 && b <= 0xf4)
            [need, min] = [3, 0x10000];
        else
            return i;
        let cp = b & (0x3f >> need);
        for (let k = 1; k <= need; k++) {
            const c = bytes[i + k];
            if (c === undefined || (c & 0xc0) !== 0x80)
                return i;
            cp = (cp << 6) | (c & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += need + 1;
    }
    return -1;
}
function parseSource(text, displayFile) {
    const lineCounter = new yaml__WEBPACK_IMPORTED_MODULE_2__/* .LineCounter */ .HN();
    const doc = (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .parseDocument */ .Tp)(text, {
        lineCounter,
        uniqueKeys: true,
        prettyErrors: true,
        merge: false
    });
    const source = {
        doc,
        lineCounter,
        locate: (p, point) => locateIn(doc, lineCounter, displayFile, p, point)
    };
    const problems = [...doc.errors, ...doc.warnings].map(e => yamlProblem(e, source, displayFile));
    if (problems.length > 0)
        fail(displayFile, 'the plan is not valid YAML', problems);
    const contents = doc.contents;
    if (contents === null || ((0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isScalar */ .jn)(contents) && contents.value === null)) {
        fail(displayFile, 'the plan is empty', [
            line(displayFile, { line: 1, column: 1 }, '(root)', 'the file is empty: expected a mapping with version, name and target')
        ]);
    }
    if (!(0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isMap */ .jh)(contents)) {
        const what = (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isSeq */ .oP)(contents) ? 'a list' : (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isAlias */ .Vj)(contents) ? 'an alias' : 'a single value';
        fail(displayFile, 'the plan is not a mapping', [
            line(displayFile, position(lineCounter, contents), '(root)', `expected a mapping with version, name and target at the top level, got ${what}`)
        ]);
    }
    const structural = structureProblems(doc, lineCounter, displayFile);
    if (structural.length > 0)
        fail(displayFile, 'the plan uses YAML features plans do not allow', structural);
    return source;
}
function yamlProblem(e, source, displayFile) {
    const at = e.linePos?.[0] ?? source.lineCounter.linePos(e.pos[0]);
    const where = { line: at.line, column: at.col };
    // prettyErrors appends " at line L, column C:" and a code frame; the location is already in front.
    const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    if (e.code === 'DUPLICATE_KEY') {
        const dup = findDuplicate(source.doc, e.pos[0]);
        if (dup) {
            const first = source.lineCounter.linePos(dup.firstOffset);
            return line(displayFile, where, formatFieldPath(dup.path), `duplicate key "${String(dup.path[dup.path.length - 1])}" (first defined at line ${first.line}, column ${first.col})`);
        }
        return line(displayFile, where, '(yaml)', `duplicate key: ${message}`);
    }
    if (e.code === 'MULTIPLE_DOCS') {
        return line(displayFile, where, '(yaml)', 'a second YAML document starts here: a plan file holds exactly one document (remove the "---" separator or split the file)');
    }
    return line(displayFile, where, '(yaml)', message);
}
/** The pair whose key starts at `offset` and the earlier pair with the same key in its mapping. */
function findDuplicate(doc, offset) {
    let found;
    visitNodes(doc, (node, p) => {
        if (found || !(0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isMap */ .jh)(node))
            return;
        const seen = new Map();
        for (const pair of node.items) {
            const key = (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isScalar */ .jn)(pair.key) ? String(pair.key.value) : undefined;
            const start = (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isScalar */ .jn)(pair.key) ? pair.key.range?.[0] : undefined;
            if (key === undefined || start === undefined)
                continue;
            const first = seen.get(key);
            if (first !== undefined && start === offset) {
                found = { path: [...p, key], firstOffset: first };
                return;
            }
            if (first === undefined)
                seen.set(key, start);
        }
    });
    return found;
}
/** Calls `visit` for every collection and scalar in document order, with its field path; aliases are not followed. */
function visitNodes(doc, visit) {
    const go = (node, p) => {
        if (!node || typeof node !== 'object')
            return;
        if ((0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isAlias */ .Vj)(node))
            return visit(node, p);
        if ((0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isMap */ .jh)(node)) {
            visit(node, p);
            for (const pair of node.items) {
                const key = (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isScalar */ .jn)(pair.key) ? String(pair.key.value) : '?';
                if (pair.key && typeof pair.key === 'object')
                    go(pair.key, p);
                go(pair.value, [...p, key]);
            }
        }
        else if ((0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isSeq */ .oP)(node)) {
            visit(node, p);
            node.items.forEach((item, i) => go(item, [...p, i]));
        }
        else if ((0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isScalar */ .jn)(node)) {
            visit(node, p);
        }
    };
    go(doc.contents, []);
}
/** Problems the parser accepts but a plan must not contain: exotic tags, non-scalar keys, dangling aliases. */
function structureProblems(doc, lineCounter, displayFile) {
    const problems = [];
    const anchors = new Set();
    visitNodes(doc, (node, p) => {
        const where = formatFieldPath(p);
        if ((0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isAlias */ .Vj)(node)) {
            if (!anchors.has(node.source)) {
                problems.push(line(displayFile, position(lineCounter, node), where, `alias *${node.source} refers to no anchor defined before it`));
            }
            return;
        }
        const anchor = node.anchor;
        if (anchor)
            anchors.add(anchor);
        const tag = node.tag;
        if (tag !== undefined && !ALLOWED_TAGS.has(tag)) {
            problems.push(line(displayFile, position(lineCounter, node), where, `the YAML tag ${tag.replace('tag:yaml.org,2002:', '!!')} is not allowed in a plan: write a plain value`));
        }
        if ((0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isMap */ .jh)(node)) {
            for (const pair of node.items) {
                if (!(0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isScalar */ .jn)(pair.key)) {
                    problems.push(line(displayFile, position(lineCounter, pair.key ?? node), where, 'a mapping key must be a plain value, not a list or mapping'));
                }
            }
        }
    });
    return problems;
}
function toData(source, displayFile) {
    try {
        return source.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    }
    catch (err) {
        let first;
        visitNodes(source.doc, node => {
            if (!first && (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isAlias */ .Vj)(node))
                first = node;
        });
        const at = first ? position(source.lineCounter, first) : { line: 1, column: 1 };
        const message = /alias count/i.test((0,_core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .errorMessage */ .gJ)(err))
            ? `too many aliases: anchors and aliases here would expand beyond ${MAX_ALIAS_COUNT} nodes (a "billion laughs" file?); write the values out`
            : `cannot read the YAML: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .errorMessage */ .gJ)(err)}`;
        fail(displayFile, 'the plan is not valid YAML', [line(displayFile, at, '(yaml)', message)]);
    }
}
function validate(data, source, displayFile) {
    const issues = (0,_schema_js__WEBPACK_IMPORTED_MODULE_4__/* .validatePlanData */ .a_)(data);
    if (issues.length === 0)
        return data;
    const located = issues.map(issue => ({ issue, at: locateIssue(source, issue) }));
    located.sort((a, b) => a.at.line - b.at.line || a.at.column - b.at.column);
    const problems = located.map(({ issue, at }) => line(displayFile, at, formatFieldPath(issue.path), issue.message));
    fail(displayFile, `the plan does not match the schema (${plural(problems.length, 'problem')})`, problems);
}
function locateIssue(source, issue) {
    if (issue.at === 'parent')
        return source.locate(issue.path.slice(0, -1), 'field');
    return source.locate(issue.path, issue.at);
}
function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}
function position(lineCounter, node) {
    const range = node?.range;
    if (!range)
        return { line: 1, column: 1 };
    const pos = lineCounter.linePos(range[0]);
    return { line: pos.line, column: pos.col };
}
function locateIn(doc, lineCounter, displayFile, p, point) {
    let node = doc.contents;
    let keyNode;
    for (const segment of p) {
        if ((0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isAlias */ .Vj)(node))
            node = node.resolve(doc);
        if ((0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isMap */ .jh)(node)) {
            const pair = node.items.find(it => (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isPair */ .tO)(it) && (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isScalar */ .jn)(it.key) && String(it.key.value) === String(segment));
            if (!pair)
                break;
            keyNode = pair.key;
            // `key:` with nothing after it has no value node; the key stands for it.
            node = pair.value ?? pair.key;
        }
        else if ((0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isSeq */ .oP)(node) && Number.isInteger(Number(segment))) {
            const item = node.items[Number(segment)];
            if (item === undefined)
                break;
            keyNode = undefined;
            node = item;
        }
        else {
            break;
        }
    }
    const valueIsScalar = (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isScalar */ .jn)(node) || (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .isAlias */ .Vj)(node);
    const target = point === 'key'
        ? (keyNode ?? node)
        : point === 'value'
            ? valueIsScalar && hasRange(node)
                ? node
                : (keyNode ?? node)
            : // A field: its key when it has one (the line a reader looks for), else the node itself.
                (keyNode ?? node);
    const at = position(lineCounter, target);
    return { file: displayFile, line: at.line, column: at.column, path: formatFieldPath(p) };
}
function hasRange(node) {
    const range = node?.range;
    return Array.isArray(range);
}
/** A field path as users read it: `assumptions.images[1].maxSize`; `(root)` for the whole plan. */
function formatFieldPath(p) {
    if (p.length === 0)
        return '(root)';
    let out = '';
    for (const segment of p) {
        if (typeof segment === 'number')
            out += `[${segment}]`;
        else if (/^[A-Za-z0-9_$-]+$/.test(segment))
            out += out === '' ? segment : `.${segment}`;
        else
            out += `[${JSON.stringify(segment)}]`;
    }
    return out;
}


/***/ }),

/***/ 1553:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Jw: () => (/* binding */ loadAssumedManifests),
/* harmony export */   Le: () => (/* binding */ loadManifestFiles),
/* harmony export */   Ye: () => (/* binding */ parseManifests),
/* harmony export */   iY: () => (/* binding */ withNamespace),
/* harmony export */   ov: () => (/* binding */ expandManifestPaths)
/* harmony export */ });
/* unused harmony export isInside */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8815);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4296);
/**
 * Manifest files named by a plan: globs expanded inside the repository,
 * multi-document YAML split into objects, each remembering its file and line
 * so findings point at the manifest.
 */




const MAX_MANIFEST_BYTES = 4 << 20;
/** True when `p` lies inside `root` (after resolving symlinks where the path exists). */
async function isInside(root, p) {
    const real = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.realpath)(p).catch(() => (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(p));
    const realRoot = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.realpath)(root).catch(() => (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(root));
    const rel = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.relative)(realRoot, real);
    return rel === '' || (!rel.startsWith(`..${node_path__WEBPACK_IMPORTED_MODULE_1__.sep}`) && rel !== '..' && !(0,node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute)(rel));
}
/** Expands plan-relative paths and globs to files inside the repository root. */
async function expandManifestPaths(loaded, patterns, field) {
    const files = [];
    for (const pattern of patterns) {
        const abs = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute)(pattern) ? pattern : (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(loaded.dir, pattern);
        if (!(await isInside(loaded.root, abs.replace(/[*?[{].*$/, '') || loaded.root)))
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UsageError */ .eb(`${field}: "${pattern}" points outside the repository (${loaded.root})`);
        const matched = [];
        if (/[*?[{]/.test(pattern)) {
            for await (const f of (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.glob)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.relative)(loaded.dir, abs), { cwd: loaded.dir }))
                matched.push((0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(loaded.dir, f));
            matched.sort();
        }
        else {
            matched.push(abs);
        }
        for (const f of matched) {
            if (!(await isInside(loaded.root, f)))
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UsageError */ .eb(`${field}: "${f}" resolves outside the repository (${loaded.root})`);
            if (!files.includes(f))
                files.push(f);
        }
    }
    return files;
}
/** Parses manifest YAML text (many documents) into objects with their lines. */
function parseManifests(text, displayFile) {
    const lc = new yaml__WEBPACK_IMPORTED_MODULE_2__/* .LineCounter */ .HN();
    const docs = (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .parseAllDocuments */ .hR)(text, { lineCounter: lc, uniqueKeys: true });
    const out = [];
    const list = Array.isArray(docs) ? docs : [docs];
    let source;
    for (const doc of list) {
        const firstError = doc.errors[0];
        if (firstError) {
            const pos = firstError.linePos?.[0];
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UsageError */ .eb(`${displayFile}:${pos?.line ?? 1}:${pos?.col ?? 1}: not valid YAML: ${firstError.message.split('\n')[0]}`);
        }
        const range = doc.contents?.range;
        const start = lc.linePos(range?.[0] ?? 0);
        // Helm writes `# Source: chart/templates/x.yaml` above each document.
        const src = /#\s*Source:\s*(\S+)/.exec(doc.commentBefore ?? '')?.[1] ??
            /#\s*Source:\s*(\S+)/.exec(text
                .slice(0, range?.[0] ?? 0)
                .split('---')
                .pop() ?? '')?.[1];
        if (src)
            source = src;
        const value = doc.toJS({ maxAliasCount: 100 });
        if (value === null || value === undefined)
            continue;
        const objects = isList(value) ? value.items : [value];
        for (const o of objects) {
            if (!isObject(o))
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UsageError */ .eb(`${displayFile}:${start.line}:${start.col}: a manifest document must be a Kubernetes object (a mapping with apiVersion, kind and metadata.name)`);
            out.push({
                object: o,
                file: displayFile,
                line: start.line,
                column: start.col,
                source: src ?? source
            });
        }
    }
    return out;
}
function isList(v) {
    return (typeof v === 'object' &&
        v !== null &&
        v.kind === 'List' &&
        Array.isArray(v.items));
}
function isObject(v) {
    if (typeof v !== 'object' || v === null)
        return false;
    const o = v;
    return (typeof o.apiVersion === 'string' &&
        typeof o.kind === 'string' &&
        typeof o.metadata?.name === 'string');
}
/** Loads every object of the given files. */
async function loadManifestFiles(loaded, files, workspace) {
    const all = await Promise.all(files.map(async (f) => {
        const display = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.relative)(workspace, f) || f;
        let text;
        try {
            const buf = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(f);
            if (buf.length > MAX_MANIFEST_BYTES)
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UsageError */ .eb(`${display}: manifest is ${buf.length} bytes, over the ${MAX_MANIFEST_BYTES}-byte limit`);
            text = buf.toString('utf8');
        }
        catch (err) {
            if (err instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UsageError */ .eb)
                throw err;
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UsageError */ .eb(`${display}: cannot read manifest: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .errorMessage */ .gJ)(err)} (named by ${loaded.displayFile})`);
        }
        return parseManifests(text, display);
    }));
    return all.flat();
}
/** Every manifest object `assumptions.manifests` names. */
async function loadAssumedManifests(loaded, workspace) {
    const patterns = loaded.plan.assumptions?.manifests ?? [];
    if (patterns.length === 0)
        return [];
    const files = await expandManifestPaths(loaded, patterns, 'assumptions.manifests');
    return loadManifestFiles(loaded, files, workspace);
}
/** The object with the plan's target namespace filled in for namespaced kinds that name none. */
function withNamespace(obj, namespace, namespaced) {
    if (!namespaced || obj.metadata.namespace)
        return obj;
    return { ...obj, metadata: { ...obj.metadata, namespace } };
}


/***/ }),

/***/ 3633:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Qd: () => (/* binding */ isPlainObject),
  WH: () => (/* binding */ typedFields),
  a_: () => (/* binding */ validatePlanData)
});

// UNUSED EXPORTS: PLAN_SCHEMA_ID, chooseBranch, createPlanAjv, describeValue, jsonType, planSchema, pointerToPath, resolveRef

// EXTERNAL MODULE: ./node_modules/ajv/dist/2020.js
var _2020 = __webpack_require__(2210);
;// CONCATENATED MODULE: ./schemas/plan.schema.json
const plan_schema_namespaceObject = /*#__PURE__*/JSON.parse('{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://phase-gate.dev/schemas/plan.schema.json","title":"phase-gate plan","description":"A phase-gate plan (phase-gate.yaml): the assumptions, tracer bullets, phases, validation, staged rollout and rollback levels of one deployment, each proven against the live cluster.","type":"object","required":["version","name","target"],"properties":{"$schema":{"title":"Schema","description":"The JSON Schema editors validate this file with, e.g. ../schemas/plan.schema.json.","type":"string","minLength":1},"version":{"title":"Version","description":"Version of the plan format; always 1.","const":1},"name":{"title":"Name","description":"Name of the plan; labels every object it applies and names its state ConfigMap (lowercase letters, digits and \\"-\\").","type":"string","minLength":1,"maxLength":63,"pattern":"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$","patternErrorMessage":"expected a lowercase name of letters, digits and \\"-\\" like dify or web-api"},"target":{"title":"Target","description":"The cluster and namespace the plan deploys to.","type":"object","required":["namespace"],"properties":{"context":{"title":"Context","description":"kubeconfig context (default the current context).","type":"string","minLength":1},"namespace":{"title":"Namespace","description":"Target namespace.","type":"string","minLength":1,"maxLength":63,"pattern":"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$","patternErrorMessage":"expected a namespace name (lowercase letters, digits and \\"-\\")"},"platform":{"title":"Platform","description":"kubernetes (default) or openshift: enables the OpenShift divergence rules.","type":"string","enum":["kubernetes","openshift"]}},"additionalProperties":false},"budgets":{"title":"Budgets","description":"Time budgets per gate; the report shows time used against them.","type":"object","properties":{"size":{"title":"Size","description":"Deployment size whose default budgets apply: simple (default), medium or complex.","type":"string","enum":["simple","medium","complex"]},"reality-check":{"title":"Reality check","description":"Budget of the reality check (default 10m/30m/60m by size).","$ref":"#/$defs/duration"},"tracer":{"title":"Tracers","description":"Budget of the tracer bullets (default 5m/15m/30m by size).","$ref":"#/$defs/duration"},"plan":{"title":"Plan","description":"Budget of the plan gate (default 10m/20m/40m by size).","$ref":"#/$defs/duration"},"phase":{"title":"Phase","description":"Budget of each phase (default 15m/45m/90m by size); a phase may set its own.","$ref":"#/$defs/duration"},"validate":{"title":"Validation","description":"Budget of the validation gate (default 5m/15m/30m by size).","$ref":"#/$defs/duration"},"rollout":{"title":"Rollout","description":"Budget of the rollout (default the sum of stage holds plus 10m).","$ref":"#/$defs/duration"},"soak":{"title":"Soak","description":"Budget of the soak (default its window plus 5m).","$ref":"#/$defs/duration"},"rollback":{"title":"Rollback","description":"Budget of a phase\'s own rollback (default the phase\'s budget).","$ref":"#/$defs/duration"}},"additionalProperties":false},"owners":{"title":"Owners","description":"People or teams who own this deployment (e.g. @org/platform).","type":"array","items":{"type":"string","minLength":1}},"ticket":{"title":"Ticket","description":"The change ticket or issue this deployment belongs to.","type":"string","minLength":1},"notify":{"title":"Notify","description":"Webhooks told about gate results.","type":"array","items":{"$ref":"#/$defs/notify"}},"dashboards":{"title":"Dashboards","description":"Dashboards linked from the summary and runbook.","type":"array","items":{"$ref":"#/$defs/dashboard"}},"prometheus":{"title":"Prometheus","description":"Prometheus for metric checks, the rollout and the soak.","$ref":"#/$defs/prometheus"},"registries":{"title":"Registries","description":"How image checks reach registries.","type":"object","properties":{"mirrors":{"title":"Mirrors","description":"Registry host to mirror host, e.g. docker.io: 127.0.0.1:5000.","type":"object","additionalProperties":{"type":"string","minLength":1}},"caFile":{"title":"CA file","description":"PEM bundle to trust for registry TLS certificates.","type":"string","minLength":1},"allow":{"title":"Allow","description":"Registries images may come from; others are a divergence finding.","type":"array","items":{"type":"string","minLength":1}},"insecure":{"title":"Insecure","description":"Registry hosts reached over plain HTTP (loopback registries).","type":"array","items":{"type":"string","minLength":1}}},"additionalProperties":false},"assumptions":{"title":"Assumptions","description":"What the plan assumes about the cluster; the reality check proves each one.","type":"object","properties":{"apis":{"title":"APIs","description":"APIs that must be served: group/version/Kind, or version/Kind for the core group.","type":"array","items":{"type":"string","pattern":"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?v[0-9]+((alpha|beta)[0-9]+)?/[A-Z][A-Za-z0-9]*$","patternErrorMessage":"expected group/version/Kind or version/Kind, like apps/v1/Deployment or v1/ConfigMap"}},"images":{"title":"Images","description":"Images that must be pullable where the cluster pulls them.","type":"array","items":{"$ref":"#/$defs/image"}},"operators":{"title":"Operators","description":"Operators that must be installed and ready.","type":"array","items":{"$ref":"#/$defs/operator"}},"storageClasses":{"title":"Storage classes","description":"StorageClasses that must exist.","type":"array","items":{"type":"string","minLength":1}},"permissions":{"title":"Permissions","description":"Permissions the deployer needs, added to those derived from the manifests.","type":"array","items":{"title":"Permission","description":"One permission, checked with a SelfSubjectAccessReview.","type":"object","required":["verb","resource"],"properties":{"verb":{"title":"Verb","description":"The verb, e.g. create, patch, delete.","type":"string","minLength":1,"pattern":"^([a-z]+|\\\\*)$","patternErrorMessage":"expected a lowercase verb like create, or *"},"resource":{"title":"Resource","description":"resource.group, e.g. deployments.apps (core resources without a group: configmaps).","type":"string","minLength":1},"namespace":{"title":"Namespace","description":"Namespace (default the plan\'s target namespace).","type":"string","minLength":1},"name":{"title":"Name","description":"A specific object name.","type":"string","minLength":1},"subresource":{"title":"Subresource","description":"A subresource, e.g. scale or status.","type":"string","minLength":1}},"additionalProperties":false}},"quota":{"title":"Quota","description":"Headroom the namespace quota must leave: resource name to quantity (cpu, memory, pods, requests.storage, ...).","type":"object","properties":{"cpu":{"title":"CPU","description":"CPU headroom, e.g. \\"2\\" or 500m.","$ref":"#/$defs/quantity"},"memory":{"title":"Memory","description":"Memory headroom, e.g. 4Gi.","$ref":"#/$defs/quantity"},"pods":{"title":"Pods","description":"Number of pods of headroom.","type":"integer","minimum":0}},"additionalProperties":{"$ref":"#/$defs/quantity"}},"manifests":{"title":"Manifests","description":"Manifest files or globs (relative to the plan file) to dry-run, derive permissions from and compare with what the cluster allows.","type":"array","items":{"$ref":"#/$defs/repoGlob"}},"crds":{"title":"CRDs","description":"CustomResourceDefinitions that must be installed and established, by name (plural.group).","type":"array","items":{"type":"string","pattern":"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$","patternErrorMessage":"expected a CRD name like clusters.postgresql.k8s.enterprisedb.io"}}},"additionalProperties":false},"tracers":{"title":"Tracers","description":"Tracer bullets: minimal real deployments, one per critical assumption.","type":"array","items":{"$ref":"#/$defs/tracer"}},"phases":{"title":"Phases","description":"Implementation phases, applied in order.","type":"array","items":{"$ref":"#/$defs/phase"}},"validation":{"title":"Validation","description":"The full validation suite run after the phases.","type":"object","properties":{"checks":{"title":"Checks","description":"The same check kinds as phases.","$ref":"#/$defs/checks"},"rollbackTest":{"title":"Rollback test","description":"Also dry-run the real undo (what it would delete, restore and keep).","type":"boolean","default":true}},"additionalProperties":false},"rollout":{"title":"Rollout","description":"A staged canary rollout: shift traffic stage by stage, judge metrics against thresholds and the baseline, roll back on a trigger.","type":"object","required":["target"],"properties":{"target":{"title":"Target","description":"The stable workload (track \\"stable\\").","$ref":"#/$defs/workloadRef"},"canary":{"title":"Canary","description":"The new version, already applied (track \\"canary\\"); default <target name>-canary.","$ref":"#/$defs/workloadRef"},"replicas":{"title":"Replicas","description":"Replica-ratio mode: the canary gets ceil(weight% x replicas), stable the rest.","type":"integer","minimum":1},"route":{"title":"Route","description":"An HTTPRoute whose backend weights move instead of replicas.","type":"object","required":["name"],"properties":{"name":{"title":"Name","description":"Name of the HTTPRoute.","type":"string","minLength":1},"namespace":{"title":"Namespace","description":"Namespace of the HTTPRoute (default the plan\'s target namespace).","type":"string","minLength":1}},"additionalProperties":false},"interval":{"title":"Interval","description":"How often metrics are judged during a hold (default 30s).","$ref":"#/$defs/duration"},"stages":{"title":"Stages","description":"Stages with strictly increasing weights, the last at 100.","type":"array","minItems":1,"items":{"$ref":"#/$defs/stage"}},"metrics":{"title":"Metrics","description":"Named PromQL queries ({{track}} is stable or canary) and the Prometheus to ask.","type":"object","properties":{"prometheus":{"title":"Prometheus","description":"Prometheus to query for the rollout (overrides the top-level prometheus).","$ref":"#/$defs/prometheus"},"requests":{"title":"Requests","description":"Traffic per track; zero means no traffic (the stage is inconclusive and holds).","$ref":"#/$defs/promql"}},"propertyNames":{"pattern":"^[A-Za-z_][A-Za-z0-9_]*$","patternErrorMessage":"expected a metric name like errorRate (letters, digits and _)"},"additionalProperties":{"$ref":"#/$defs/promql"}},"rollbackIf":{"title":"Rollback if","description":"Triggers that roll the canary back to 0%.","type":"array","items":{"$ref":"#/$defs/trigger"}},"onTrigger":{"title":"On trigger","description":"Rollback level also run when a trigger fires (default none).","type":"string","enum":["flag","config","code","none"]},"infra":{"title":"Infra steps","description":"Infra steps (migrations, config, flags) run as an `infra` stage at weight 0 before the first stage.","$ref":"#/$defs/checks"}},"additionalProperties":false},"rollbackLevels":{"title":"Rollback levels","description":"Rollback levels with their budgets: flag < 1m, config < 5m, code < 15m.","type":"array","items":{"$ref":"#/$defs/rollbackLevel"}},"hygiene":{"title":"Hygiene","description":"Helm chart and manifest hygiene rules (on top of the built-in ones).","type":"object","properties":{"rules":{"title":"Rules","description":"Extra rules.","type":"array","items":{"$ref":"#/$defs/hygieneRule"}},"params":{"title":"Parameters","description":"Values bound as `params` in rule expressions (free-form).","type":"object"},"ignore":{"title":"Ignore","description":"Findings to ignore, each with a reason.","type":"array","items":{"title":"Ignored finding","description":"A rule ignored for one object or all.","type":"object","required":["rule","reason"],"properties":{"rule":{"title":"Rule","description":"Id of the rule.","type":"string","minLength":1},"object":{"title":"Object","description":"Kind/name of the object (default all objects).","type":"string","minLength":1},"reason":{"title":"Reason","description":"Why this finding is acceptable.","type":"string","minLength":1}},"additionalProperties":false}},"disable":{"title":"Disable","description":"Ids of rules to turn off.","type":"array","items":{"type":"string","minLength":1}},"failOn":{"title":"Fail on","description":"The lowest severity whose findings fail the reality check (default high); lower ones warn. `never`: every finding warns.","type":"string","enum":["high","medium","low","never"]}},"additionalProperties":false},"soak":{"title":"Soak","description":"After deploying: restarts, readiness and thresholds sampled over a window; the release becomes stable or degraded.","type":"object","properties":{"window":{"title":"Window","description":"How long to soak (default 24h; a scheduled workflow extends it past a job).","$ref":"#/$defs/duration"},"interval":{"title":"Interval","description":"How often to sample (default 1m).","$ref":"#/$defs/duration"},"minSamples":{"title":"Minimum samples","description":"Samples needed before the soak can pass.","type":"integer","minimum":1},"sustained":{"title":"Sustained","description":"A threshold counts as breached only when N of the last M samples breach it.","type":"object","required":["samples","of"],"properties":{"samples":{"title":"Samples","description":"N: breaching samples.","type":"integer","minimum":1},"of":{"title":"Of","description":"M: most recent samples.","type":"integer","minimum":1}},"additionalProperties":false},"thresholds":{"title":"Thresholds","description":"Checks sampled during the soak (usually metric checks).","$ref":"#/$defs/checks"},"runFor":{"title":"Run for","description":"How long one run of the soak gate samples before it leaves the rest of the window to the next run (a scheduled workflow); default until the soak decides, within its budget. 0s takes one sample.","$ref":"#/$defs/duration"},"onDegraded":{"title":"On degraded","description":"Rollback level run when the release becomes degraded (default none).","type":"string","enum":["flag","config","code","none"]}},"additionalProperties":false},"approval":{"title":"Approval","description":"Human approval through a GitHub environment protection rule.","type":"object","properties":{"environment":{"title":"Environment","description":"The environment whose required reviewers or wait timer approve the deployment.","type":"string","minLength":1}},"additionalProperties":false},"state":{"title":"State","description":"The state record kept in the target namespace.","type":"object","properties":{"keepRuns":{"title":"Keep runs","description":"How many runs to keep in the state record (default 20).","type":"integer","minimum":1}},"additionalProperties":false},"lock":{"title":"Lock","description":"The lock that keeps two runs of one plan and target apart.","type":"object","properties":{"wait":{"title":"Wait","description":"How long to wait for another run\'s lock.","$ref":"#/$defs/duration"}},"additionalProperties":false}},"additionalProperties":false,"$defs":{"duration":{"title":"Duration","description":"A duration: a number and a unit (ms, s, m, h, d), possibly repeated, e.g. 30s, 5m, 1h30m.","type":"string","pattern":"^(\\\\d+(\\\\.\\\\d+)?(ms|s|m|h|d))+$","patternErrorMessage":"expected a duration like 30s, 5m or 1h30m","examples":["30s","5m","1h30m"]},"size":{"title":"Size","description":"A size in bytes with a unit: B, kB/MB/GB/TB (powers of 1000) or KiB/MiB/GiB/TiB, Ki/Mi/Gi/Ti (powers of 1024).","type":"string","pattern":"^\\\\d+(\\\\.\\\\d+)?(B|[kKMGT]B|[KMGT]iB?)$","patternErrorMessage":"expected a size like 500MB, 1.5GiB or 200Mi","examples":["500MB","1.5GiB","200Mi"]},"url":{"title":"URL","description":"An http or https URL.","type":"string","pattern":"^https?://[^\\\\s/]+(/\\\\S*)?$","patternErrorMessage":"expected an http:// or https:// URL"},"envName":{"title":"Environment variable name","description":"Name of an environment variable, e.g. PROM_TOKEN.","type":"string","pattern":"^[A-Za-z_][A-Za-z0-9_]*$","patternErrorMessage":"expected an environment variable name like PROM_TOKEN"},"cel":{"title":"CEL expression","description":"A CEL expression, the language Kubernetes uses for admission policies and CRD validation.","type":"string","minLength":1},"promql":{"title":"PromQL query","description":"A PromQL query; {{track}} is replaced by the track (stable or canary) during a rollout.","type":"string","minLength":1},"expectation":{"title":"Expectation","description":"A shorthand comparison like \\"< 0.5\\", \\"< 500ms\\", \\"< 2%\\" or \\"<= 1.5x baseline\\", or a CEL expression over `value` and `baseline`.","type":"string","minLength":1},"threshold":{"title":"Threshold","description":"A number (5, 0.5), a percentage (2%), a duration compared in seconds (5s, 500ms) or a multiple of the baseline (2x baseline).","type":["number","string"],"pattern":"^\\\\s*(baseline|[+-]?(\\\\d+(\\\\.\\\\d*)?|\\\\.\\\\d+)([eE][+-]?\\\\d+)?(\\\\s*(x|X|×|\\\\*)\\\\s*baseline|\\\\s*%)?|-?(\\\\d+(\\\\.\\\\d+)?(ms|s|m|h|d))+)\\\\s*$","patternErrorMessage":"expected a number, a percentage like 2%, a duration like 5s, or a multiple like 2x baseline"},"repoPath":{"title":"Repository path","description":"A path relative to the plan file that stays inside the repository.","type":"string","minLength":1},"repoGlob":{"title":"Repository glob","description":"A file path or glob (*, **, ?, [...], {a,b}) relative to the plan file that stays inside the repository.","type":"string","minLength":1},"workloadRef":{"title":"Workload reference","description":"A workload in the target namespace.","type":"object","required":["kind","name"],"properties":{"kind":{"title":"Kind","description":"Kind of the workload, e.g. Deployment.","type":"string","minLength":1},"name":{"title":"Name","description":"Name of the workload.","type":"string","minLength":1},"apiVersion":{"title":"API version","description":"apiVersion of the workload (default from the kind).","type":"string","minLength":1}},"additionalProperties":false},"prometheusSpec":{"title":"Prometheus","description":"How to reach Prometheus; credentials come from environment variables (secrets), never from the plan.","type":"object","required":["url"],"properties":{"url":{"title":"URL","description":"Base URL of the Prometheus HTTP API, e.g. http://127.0.0.1:9090.","$ref":"#/$defs/url"},"bearerTokenEnv":{"title":"Bearer token variable","description":"Name of the environment variable holding a bearer token.","$ref":"#/$defs/envName"},"basicAuth":{"title":"Basic auth","description":"Basic authentication, from environment variables.","type":"object","required":["usernameEnv","passwordEnv"],"properties":{"usernameEnv":{"title":"Username variable","description":"Name of the environment variable holding the user name.","$ref":"#/$defs/envName"},"passwordEnv":{"title":"Password variable","description":"Name of the environment variable holding the password.","$ref":"#/$defs/envName"}},"additionalProperties":false},"caFile":{"title":"CA file","description":"PEM bundle to trust for the Prometheus TLS certificate.","type":"string","minLength":1},"serviceProxy":{"title":"Service proxy","description":"Reach Prometheus through the apiserver\'s service proxy: namespace/service:port.","type":"string","minLength":1,"pattern":"^[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-a-z0-9]*[a-z0-9])?:[A-Za-z0-9-]+$","patternErrorMessage":"expected namespace/service:port, e.g. monitoring/prometheus:9090"}},"additionalProperties":false},"prometheus":{"title":"Prometheus","description":"Prometheus to query: its URL, or an object with the URL and credentials.","oneOf":[{"title":"URL","description":"Base URL of the Prometheus HTTP API.","$ref":"#/$defs/url"},{"$ref":"#/$defs/prometheusSpec"}]},"image":{"title":"Image","description":"An image the plan uses: a reference, or an object with the reference, platform and size limit.","oneOf":[{"title":"Image reference","description":"An image reference, e.g. langgenius/dify-api:0.11.1.","type":"string","pattern":"^\\\\S+$","patternErrorMessage":"expected an image reference without spaces"},{"title":"Image","description":"An image reference with a platform and a size limit.","type":"object","required":["ref"],"properties":{"ref":{"title":"Reference","description":"The image reference, e.g. registry.example.com/app/api:1.2.3.","type":"string","minLength":1,"pattern":"^\\\\S+$","patternErrorMessage":"expected an image reference without spaces"},"platform":{"title":"Platform","description":"The platform the cluster pulls, e.g. linux/amd64.","type":"string","minLength":1,"pattern":"^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$","patternErrorMessage":"expected a platform like linux/amd64 or linux/arm64/v8"},"maxSize":{"title":"Maximum size","description":"Fail when the image is larger (default: warn above 500MB).","$ref":"#/$defs/size"}},"additionalProperties":false}]},"operator":{"title":"Operator","description":"An operator the plan needs: its name, or an object with name, namespace and version range.","oneOf":[{"title":"Operator name","description":"Name of the operator (OLM package/CSV or Deployment).","type":"string","minLength":1},{"title":"Operator","description":"An operator installed through OLM (a CSV) or as a Deployment.","type":"object","required":["name"],"properties":{"name":{"title":"Name","description":"Name of the operator (OLM package/CSV or Deployment).","type":"string","minLength":1},"namespace":{"title":"Namespace","description":"Namespace the operator runs in.","type":"string","minLength":1},"version":{"title":"Version","description":"A semver range the installed version must satisfy, e.g. >=1.20.","type":"string","minLength":1}},"additionalProperties":false}]},"success":{"title":"Success criterion","description":"When a tracer\'s object counts as working: exactly one of ready, phase, condition or cel.","oneOf":[{"title":"Ready","description":"The object is ready by the kstatus rules.","type":"object","required":["ready"],"properties":{"ready":{"title":"Ready","description":"Must be true.","const":true}},"additionalProperties":false},{"title":"Phase","description":"status.phase equals this value.","type":"object","required":["phase"],"properties":{"phase":{"title":"Phase","description":"The expected status.phase, e.g. Running.","type":"string","minLength":1}},"additionalProperties":false},{"title":"Condition","description":"A status condition has the given status.","type":"object","required":["condition"],"properties":{"condition":{"title":"Condition","description":"The condition type, e.g. Ready.","type":"string","minLength":1},"status":{"title":"Status","description":"The expected status of the condition (default True).","type":"string","enum":["True","False","Unknown"]}},"additionalProperties":false},{"title":"CEL","description":"A CEL expression over `object` that must be true.","type":"object","required":["cel"],"properties":{"cel":{"title":"CEL","description":"A CEL expression over `object`, e.g. object.status.readyInstances >= 1.","$ref":"#/$defs/cel"}},"additionalProperties":false}]},"readyCheck":{"title":"Ready check","description":"Waits until the named object is ready by the kstatus rules (Current), failing fast on a known cause (image pull failure, crash loop, Failed status).","type":"object","required":["ready"],"properties":{"ready":{"title":"Ready check","description":"Waits until the named object is ready by the kstatus rules (Current), failing fast on a known cause (image pull failure, crash loop, Failed status).","type":"object","required":["kind","name"],"properties":{"kind":{"title":"Kind","description":"Kind of the object, e.g. Deployment or Cluster.","type":"string","minLength":1},"name":{"title":"Name","description":"Name of the object.","type":"string","minLength":1},"apiVersion":{"title":"API version","description":"apiVersion of the object, e.g. apps/v1; needed when the kind is served by more than one group.","type":"string","minLength":1},"namespace":{"title":"Namespace","description":"Namespace of the object; defaults to the plan\'s target namespace.","type":"string","minLength":1},"timeout":{"title":"Timeout","description":"How long to wait for the object to become ready, e.g. 2m.","$ref":"#/$defs/duration"}},"additionalProperties":false}},"additionalProperties":false},"httpCheck":{"title":"HTTP check","description":"Sends one HTTP request to a Service (through the apiserver\'s service proxy) or a URL and judges the response.","type":"object","required":["http"],"properties":{"http":{"title":"HTTP check","description":"Sends one HTTP request to a Service (through the apiserver\'s service proxy) or a URL and judges the response.","type":"object","properties":{"service":{"title":"Service","description":"Name of the Service to call through the apiserver service proxy.","type":"string","minLength":1},"port":{"title":"Port","description":"Port of the Service, as a number or a port name.","type":["integer","string"],"minimum":1,"maximum":65535,"minLength":1},"path":{"title":"Path","description":"Request path, e.g. /health.","type":"string","minLength":1,"pattern":"^/","patternErrorMessage":"expected a path starting with /"},"url":{"title":"URL","description":"Full URL to call instead of a Service.","$ref":"#/$defs/url"},"method":{"title":"Method","description":"HTTP method (default GET).","type":"string","enum":["GET","HEAD","POST","PUT","PATCH","DELETE","OPTIONS"]},"headers":{"title":"Headers","description":"Request headers, name to value.","type":"object","additionalProperties":{"type":"string"}},"expect":{"title":"Expectation","description":"What the response must look like (default: a 2xx status).","type":"object","properties":{"status":{"title":"Status","description":"Expected HTTP status code.","type":"integer","minimum":100,"maximum":599},"body":{"title":"Body","description":"A substring the response body must contain.","type":"string"},"cel":{"title":"CEL","description":"A CEL expression over `status`, `headers`, `body` and `json` (the parsed body) that must be true.","$ref":"#/$defs/cel"}},"additionalProperties":false},"timeout":{"title":"Timeout","description":"Request timeout, e.g. 10s.","$ref":"#/$defs/duration"},"namespace":{"title":"Namespace","description":"Namespace of the Service; defaults to the plan\'s target namespace.","type":"string","minLength":1}},"additionalProperties":false}},"additionalProperties":false},"commandCheck":{"title":"Command check","description":"Runs a command on the runner and judges its exit code and output.","type":"object","required":["command"],"properties":{"command":{"title":"Command check","description":"Runs a command on the runner and judges its exit code and output.","type":"object","required":["run"],"properties":{"run":{"title":"Command","description":"The command and its arguments, e.g. [psql, -c, \\"select 1\\"].","type":"array","items":{"type":"string"},"minItems":1},"shell":{"title":"Shell","description":"Run the command through sh -c (the first item is the script).","type":"boolean","default":false},"cwd":{"title":"Working directory","description":"Directory to run in, relative to the plan file.","type":"string","minLength":1},"env":{"title":"Environment","description":"Extra environment variables, name to value.","type":"object","propertyNames":{"pattern":"^[A-Za-z_][A-Za-z0-9_]*$","patternErrorMessage":"expected an environment variable name like DATABASE_URL"},"additionalProperties":{"type":"string"}},"timeout":{"title":"Timeout","description":"How long the command may run, e.g. 1m.","$ref":"#/$defs/duration"},"expect":{"title":"Expectation","description":"What the command must produce (default: exit code 0).","type":"object","properties":{"exitCode":{"title":"Exit code","description":"Expected exit code.","type":"integer","minimum":0,"maximum":255},"output":{"title":"Output","description":"A substring standard output must contain.","type":"string"}},"additionalProperties":false}},"additionalProperties":false}},"additionalProperties":false},"envCheck":{"title":"Environment check","description":"Checks that the selected pods\' containers define the required environment variables (values are never read into the report).","type":"object","required":["env"],"properties":{"env":{"title":"Environment check","description":"Checks that the selected pods\' containers define the required environment variables (values are never read into the report).","type":"object","required":["selector","require"],"properties":{"selector":{"title":"Selector","description":"Label selector of the pods, e.g. app=api.","type":"string","minLength":1},"require":{"title":"Required variables","description":"Names of the environment variables that must be set.","type":"array","items":{"type":"string","pattern":"^[A-Za-z_][A-Za-z0-9_]*$","patternErrorMessage":"expected an environment variable name like DATABASE_URL"},"minItems":1},"namespace":{"title":"Namespace","description":"Namespace of the pods; defaults to the plan\'s target namespace.","type":"string","minLength":1},"container":{"title":"Container","description":"Only this container; default all containers.","type":"string","minLength":1}},"additionalProperties":false}},"additionalProperties":false},"metricCheck":{"title":"Metric check","description":"Runs a Prometheus query and judges its value with a CEL expectation or a shorthand.","type":"object","required":["metric"],"properties":{"metric":{"title":"Metric check","description":"Runs a Prometheus query and judges its value with a CEL expectation or a shorthand.","type":"object","required":["query","expect"],"properties":{"query":{"title":"Query","description":"The PromQL query; its single value is bound as `value`.","$ref":"#/$defs/promql"},"expect":{"title":"Expectation","description":"A shorthand like \\"< 0.5\\" or a CEL expression over `value` and `baseline`.","$ref":"#/$defs/expectation"},"window":{"title":"Window","description":"How long the expectation must hold, sampled over this window.","$ref":"#/$defs/duration"},"baseline":{"title":"Baseline query","description":"A PromQL query whose value is bound as `baseline` (the stable track).","$ref":"#/$defs/promql"},"name":{"title":"Name","description":"A name for the report; defaults to the query.","type":"string","minLength":1}},"additionalProperties":false}},"additionalProperties":false},"pullRequestCheck":{"title":"Pull request check","description":"Checks the pull request\'s reviews, labels and required checks with what the default token can read.","type":"object","required":["pullRequest"],"properties":{"pullRequest":{"title":"Pull request check","description":"Checks the pull request\'s reviews, labels and required checks with what the default token can read.","type":"object","properties":{"approvals":{"title":"Approvals","description":"Minimum number of approving reviews, with no outstanding \\"changes requested\\".","type":"integer","minimum":0},"blockingLabels":{"title":"Blocking labels","description":"Labels that block the deployment while present.","type":"array","items":{"type":"string","minLength":1}},"requiredChecks":{"title":"Required checks","description":"Check runs or commit statuses of the head SHA that must have succeeded.","type":"array","items":{"type":"string","minLength":1}}},"additionalProperties":false}},"additionalProperties":false},"toolsCheck":{"title":"Tools check","description":"Checks that tools a runbook calls exist on the runner at the needed versions: tool name to semver range.","type":"object","required":["tools"],"properties":{"tools":{"title":"Tools check","description":"Checks that tools a runbook calls exist on the runner at the needed versions: tool name to semver range.","type":"object","minProperties":1,"propertyNames":{"pattern":"^[A-Za-z0-9][A-Za-z0-9._-]*$","patternErrorMessage":"expected a tool name like helm or kubectl"},"additionalProperties":{"type":"string","minLength":1}}},"additionalProperties":false},"migrationCheck":{"title":"Migration check","description":"Proves a migration runs forward and backward (old code must work with the new schema).","type":"object","required":["migration"],"properties":{"migration":{"title":"Migration check","description":"Proves a migration runs forward and backward (old code must work with the new schema).","type":"object","required":["up","down"],"properties":{"up":{"title":"Up","description":"Command running the forward migration.","type":"array","items":{"type":"string"},"minItems":1},"down":{"title":"Down","description":"Command running the backward migration.","type":"array","items":{"type":"string"},"minItems":1},"shell":{"title":"Shell","description":"Run the commands through sh -c.","type":"boolean","default":false},"cwd":{"title":"Working directory","description":"Directory to run in, relative to the plan file.","type":"string","minLength":1},"env":{"title":"Environment","description":"Extra environment variables, name to value.","type":"object","propertyNames":{"pattern":"^[A-Za-z_][A-Za-z0-9_]*$","patternErrorMessage":"expected an environment variable name like DATABASE_URL"},"additionalProperties":{"type":"string"}},"timeout":{"title":"Timeout","description":"How long each command may run.","$ref":"#/$defs/duration"}},"additionalProperties":false}},"additionalProperties":false},"argocdCheck":{"title":"Argo CD check","description":"Checks the sync and health status of an Argo CD Application.","type":"object","required":["argocd"],"properties":{"argocd":{"title":"Argo CD check","description":"Checks the sync and health status of an Argo CD Application.","type":"object","required":["application"],"properties":{"application":{"title":"Application","description":"Name of the Application.","type":"string","minLength":1},"namespace":{"title":"Namespace","description":"Namespace of the Application (default argocd).","type":"string","minLength":1},"sync":{"title":"Sync status","description":"Required sync status (default Synced).","type":"string","enum":["Synced","OutOfSync"]},"health":{"title":"Health status","description":"Required health status (default Healthy).","type":"string","enum":["Healthy","Progressing","Degraded","Suspended","Missing","Unknown"]}},"additionalProperties":false}},"additionalProperties":false},"alertRulesCheck":{"title":"Alert rules check","description":"Checks that Prometheus has these alerting rules loaded.","type":"object","required":["alertRules"],"properties":{"alertRules":{"title":"Alert rules check","description":"Checks that Prometheus has these alerting rules loaded.","type":"object","required":["names"],"properties":{"names":{"title":"Names","description":"Names of the alerting rules that must be loaded.","type":"array","items":{"type":"string","minLength":1},"minItems":1}},"additionalProperties":false}},"additionalProperties":false},"check":{"title":"Check","description":"A validation check: exactly one key naming its kind (ready, http, command, env, metric, pullRequest, tools, migration, argocd, alertRules).","oneOf":[{"$ref":"#/$defs/readyCheck"},{"$ref":"#/$defs/httpCheck"},{"$ref":"#/$defs/commandCheck"},{"$ref":"#/$defs/envCheck"},{"$ref":"#/$defs/metricCheck"},{"$ref":"#/$defs/pullRequestCheck"},{"$ref":"#/$defs/toolsCheck"},{"$ref":"#/$defs/migrationCheck"},{"$ref":"#/$defs/argocdCheck"},{"$ref":"#/$defs/alertRulesCheck"}]},"checks":{"title":"Checks","description":"A list of validation checks.","type":"array","items":{"$ref":"#/$defs/check"}},"helm":{"title":"Helm release","description":"Deploys a Helm chart as this phase (rendered with helm template for the reality check).","type":"object","required":["release","chart"],"properties":{"release":{"title":"Release","description":"Name of the Helm release.","type":"string","minLength":1},"chart":{"title":"Chart","description":"Chart reference: repo/chart, oci://..., or a path relative to the plan file.","type":"string","minLength":1},"version":{"title":"Version","description":"Chart version.","type":"string","minLength":1},"values":{"title":"Values","description":"Values passed to the chart (free-form).","type":"object"},"valuesFiles":{"title":"Values files","description":"Values files relative to the plan file, applied in order.","type":"array","items":{"$ref":"#/$defs/repoPath"}},"namespace":{"title":"Namespace","description":"Release namespace; defaults to the plan\'s target namespace.","type":"string","minLength":1}},"additionalProperties":false},"rollbackAction":{"title":"Rollback action","description":"One step of a phase\'s rollback: exactly one of undo, helm or command.","oneOf":[{"title":"Undo","description":"Delete what the phase created (keeping PVCs and kept objects) and restore what it changed.","type":"object","required":["undo"],"properties":{"undo":{"title":"Undo","description":"Must be true.","const":true}},"additionalProperties":false},{"title":"Helm rollback","description":"Roll the phase\'s Helm release back to its previous revision.","type":"object","required":["helm"],"properties":{"helm":{"title":"Helm","description":"Must be rollback.","const":"rollback"}},"additionalProperties":false},{"title":"Command","description":"Run a command.","type":"object","required":["command"],"properties":{"command":{"title":"Command","description":"The command to run.","type":"object","required":["run"],"properties":{"run":{"title":"Command","description":"The command and its arguments.","type":"array","items":{"type":"string"},"minItems":1},"shell":{"title":"Shell","description":"Run through sh -c.","type":"boolean","default":false},"timeout":{"title":"Timeout","description":"How long the command may run.","$ref":"#/$defs/duration"}},"additionalProperties":false}},"additionalProperties":false}]},"tracer":{"title":"Tracer bullet","description":"A minimal real deployment proving one critical assumption: apply one small object, wait for its success criterion, capture evidence, clean up.","type":"object","required":["name","assumption","manifest","success"],"properties":{"name":{"title":"Name","description":"Name of the tracer (unique in the plan).","type":"string","minLength":1,"maxLength":63,"pattern":"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$","patternErrorMessage":"expected a name of letters, digits, \\"-\\", \\"_\\" or \\".\\" that starts and ends with a letter or digit"},"assumption":{"title":"Assumption","description":"The assumption this tracer proves, in words.","type":"string","minLength":1},"manifest":{"title":"Manifest","description":"The object to apply: exactly one of file or inline.","type":"object","properties":{"file":{"title":"File","description":"A manifest file relative to the plan file.","$ref":"#/$defs/repoPath"},"inline":{"title":"Inline","description":"The manifest as YAML text.","type":"string","minLength":1}},"additionalProperties":false},"success":{"title":"Success criterion","description":"When the object counts as working: {ready: true}, {phase: Running}, {condition: Ready} or {cel: ...}.","$ref":"#/$defs/success"},"timeout":{"title":"Timeout","description":"How long to wait for the success criterion (default 2m).","$ref":"#/$defs/duration"},"cleanup":{"title":"Cleanup","description":"Delete the object afterwards (default true).","type":"boolean","default":true},"critical":{"title":"Critical","description":"A failure fails the gate (default true); otherwise it warns.","type":"boolean","default":true}},"additionalProperties":false},"phase":{"title":"Phase","description":"One implementation phase: apply its resources, run its validation checks, and on failure run its rollback.","type":"object","required":["name"],"properties":{"name":{"title":"Name","description":"Name of the phase (unique in the plan).","type":"string","minLength":1,"maxLength":63,"pattern":"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$","patternErrorMessage":"expected a name of letters, digits, \\"-\\", \\"_\\" or \\".\\" that starts and ends with a letter or digit"},"apply":{"title":"Apply","description":"Manifest files or globs, relative to the plan file, applied with server-side apply.","type":"array","items":{"$ref":"#/$defs/repoGlob"}},"helm":{"title":"Helm","description":"A Helm release this phase installs or upgrades.","$ref":"#/$defs/helm"},"validate":{"title":"Validate","description":"Checks run after applying; every applied object must be ready anyway.","$ref":"#/$defs/checks"},"timeout":{"title":"Timeout","description":"How long the phase may wait for its objects to become ready.","$ref":"#/$defs/duration"},"budget":{"title":"Budget","description":"Time budget of this phase (default budgets.phase or the size\'s default).","$ref":"#/$defs/duration"},"rollback":{"title":"Rollback","description":"Steps run, in order, when the phase fails (default [{undo: true}]).","type":"array","items":{"$ref":"#/$defs/rollbackAction"}},"migration":{"title":"Migration","description":"A migration this phase runs; without a working down step, code rollback is refused and the flag/config levels are offered.","type":"object","required":["up"],"properties":{"up":{"title":"Up","description":"Command running the forward migration.","type":"array","items":{"type":"string"},"minItems":1},"down":{"title":"Down","description":"Command running the backward migration.","type":"array","items":{"type":"string"},"minItems":1},"shell":{"title":"Shell","description":"Run the commands through sh -c.","type":"boolean","default":false}},"additionalProperties":false}},"additionalProperties":false},"stage":{"title":"Stage","description":"One stage of the rollout: shift traffic to its weight, hold, judge the metrics.","type":"object","required":["name","weight"],"properties":{"name":{"title":"Name","description":"Name of the stage (unique in the rollout).","type":"string","minLength":1,"maxLength":63,"pattern":"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$","patternErrorMessage":"expected a name of letters, digits, \\"-\\", \\"_\\" or \\".\\" that starts and ends with a letter or digit"},"weight":{"title":"Weight","description":"Percentage of traffic (or replicas) on the canary, 0 to 100.","type":"number","minimum":0,"maximum":100},"hold":{"title":"Hold","description":"How long to hold at this weight while judging metrics (default 0s).","$ref":"#/$defs/duration"}},"additionalProperties":false},"trigger":{"title":"Rollback trigger","description":"When the rollout rolls back: a metric, or the canary\'s CPU or memory as a share of its limits, crossing a threshold (above, below or cel), or no data for a while.","type":"object","properties":{"metric":{"title":"Metric","description":"Name of a query under rollout.metrics.","type":"string","minLength":1,"pattern":"^[A-Za-z_][A-Za-z0-9_]*$","patternErrorMessage":"expected a metric name like errorRate"},"resource":{"title":"Resource","description":"Judge the canary\'s use of this resource as a share of its containers\' limits, from cAdvisor\'s series in Prometheus (instead of a metric): the value is the highest share of any container, e.g. `above: 80%`.","type":"string","enum":["cpu","memory"]},"above":{"title":"Above","description":"Trigger when the value is above this: a number, a duration like 5s, a percentage (80% of limits with resource), or 2x baseline.","$ref":"#/$defs/threshold"},"below":{"title":"Below","description":"Trigger when the value is below this: a number, a duration, or 0.5x baseline.","$ref":"#/$defs/threshold"},"cel":{"title":"CEL","description":"Trigger when this CEL expression over `value` and `baseline` is true.","$ref":"#/$defs/cel"},"noDataFor":{"title":"No data for","description":"Dead-man\'s switch: trigger when the metric (or every metric) has had no data this long.","$ref":"#/$defs/duration"},"samples":{"title":"Samples","description":"How many samples must cross the threshold before the trigger fires.","type":"integer","minimum":1},"of":{"title":"Of","description":"Out of how many most recent samples (with samples: N of M).","type":"integer","minimum":1}},"additionalProperties":false,"minProperties":1},"rollbackLevel":{"title":"Rollback level","description":"A rollback level: flag (a ConfigMap key or a command), config (ConfigMaps/Secrets restored) or code (the workload undone to its last known-good revision).","type":"object","required":["level"],"properties":{"level":{"title":"Level","description":"Which level this is.","type":"string","enum":["flag","config","code"]},"configMap":{"title":"ConfigMap","description":"flag: the ConfigMap holding the flag.","type":"string","minLength":1},"key":{"title":"Key","description":"flag: the key of the flag in the ConfigMap.","type":"string","minLength":1},"value":{"title":"Value","description":"flag: the value that turns the feature off (a string: quote \\"false\\").","type":"string"},"command":{"title":"Command","description":"flag or code: a command that performs this level (an external flag service, a revert-and-deploy).","type":"object","required":["run"],"properties":{"run":{"title":"Command","description":"The command and its arguments.","type":"array","items":{"type":"string"},"minItems":1},"shell":{"title":"Shell","description":"Run through sh -c.","type":"boolean","default":false}},"additionalProperties":false},"configMaps":{"title":"ConfigMaps","description":"config: ConfigMaps whose recorded versions are restored.","type":"array","items":{"type":"string","minLength":1}},"secrets":{"title":"Secrets","description":"config: Secrets whose recorded versions are restored.","type":"array","items":{"type":"string","minLength":1}},"target":{"title":"Target","description":"code: the workload undone to its last known-good revision.","$ref":"#/$defs/workloadRef"},"helm":{"title":"Helm","description":"code: a Helm release rolled back to its last known-good revision.","type":"object","required":["release"],"properties":{"release":{"title":"Release","description":"Name of the Helm release.","type":"string","minLength":1}},"additionalProperties":false},"budget":{"title":"Budget","description":"Time budget of this level (default flag 1m, config 5m, code 15m).","$ref":"#/$defs/duration"}},"additionalProperties":false},"hygieneRule":{"title":"Hygiene rule","description":"A rule every rendered object is judged by: a CEL expression over `object` (and `params`) that must be true.","type":"object","required":["id","cel","message"],"properties":{"id":{"title":"Id","description":"Rule id, used in reports, ignore and disable.","type":"string","minLength":1,"pattern":"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$","patternErrorMessage":"expected a rule id of lowercase letters, digits, \\"-\\" and \\".\\""},"severity":{"title":"Severity","description":"How bad a violation is (default medium).","type":"string","enum":["high","medium","low"]},"match":{"title":"Match","description":"Which objects the rule applies to (default all).","type":"object","properties":{"kinds":{"title":"Kinds","description":"Kinds the rule applies to, e.g. [Deployment, StatefulSet].","type":"array","items":{"type":"string","minLength":1}}},"additionalProperties":false},"cel":{"title":"CEL","description":"A CEL expression over `object` and `params` that must be true.","$ref":"#/$defs/cel"},"message":{"title":"Message","description":"What is wrong when the expression is false.","type":"string","minLength":1},"fix":{"title":"Fix","description":"How to fix it.","type":"string","minLength":1}},"additionalProperties":false},"notify":{"title":"Notification","description":"A webhook told about gate results; its URL comes from an environment variable (a secret).","type":"object","required":["urlEnv"],"properties":{"name":{"title":"Name","description":"A name for the report.","type":"string","minLength":1},"urlEnv":{"title":"URL variable","description":"Name of the environment variable holding the webhook URL.","$ref":"#/$defs/envName"},"format":{"title":"Format","description":"Payload format (default json).","type":"string","enum":["slack","json"]},"events":{"title":"Events","description":"Which events to send (default all of them).","type":"array","items":{"type":"string","enum":["awaiting-approval","stage-promoted","rollback-triggered","degraded","stable"]}}},"additionalProperties":false},"dashboard":{"title":"Dashboard","description":"A dashboard linked from the summary and the runbook.","type":"object","required":["name","url"],"properties":{"name":{"title":"Name","description":"Name of the dashboard.","type":"string","minLength":1},"url":{"title":"URL","description":"Link to the dashboard.","$ref":"#/$defs/url"}},"additionalProperties":false},"quantity":{"title":"Quantity","description":"A Kubernetes quantity, e.g. 2, 500m, 4Gi.","type":["string","number"],"pattern":"^[0-9]+(\\\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$","patternErrorMessage":"expected a quantity like 2, 500m or 4Gi","minimum":0}}}');
// EXTERNAL MODULE: ./src/plan/suggest.ts
var suggest = __webpack_require__(5081);
;// CONCATENATED MODULE: ./src/plan/schema.ts
/**
 * The plan's JSON Schema (schemas/plan.schema.json) through ajv, with its
 * errors turned into one plain sentence per problem: the field path, what was
 * expected and what was found. oneOf/anyOf noise is cut down to the branch the
 * user evidently meant.
 */



/** `$id` of the plan schema. */
const PLAN_SCHEMA_ID = 'https://phase-gate.dev/schemas/plan.schema.json';
/** The plan schema as data. */
// The JSON import is typed by its literal shape; SchemaNode is the view the code needs.
const planSchema = plan_schema_namespaceObject;
let compiled;
/** A fresh ajv instance configured the way the plan schema is meant to be checked (strict, all errors). */
function createPlanAjv() {
    const ajv = new _2020.Ajv2020({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true });
    // VS Code and yaml-language-server show it instead of the raw regex; for ajv it is an annotation.
    ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
    return ajv;
}
function compile() {
    if (compiled)
        return compiled;
    const ajv = createPlanAjv();
    ajv.addSchema(planSchema);
    const root = ajv.getSchema(PLAN_SCHEMA_ID);
    if (!root)
        throw new Error(`plan schema ${PLAN_SCHEMA_ID} did not compile`);
    const pointers = new WeakMap();
    indexPointers(planSchema, '', pointers);
    compiled = { ajv, root, pointers };
    return compiled;
}
function indexPointers(node, pointer, out) {
    if (node === null || typeof node !== 'object')
        return;
    out.set(node, pointer);
    const entries = Array.isArray(node)
        ? node.map((v, i) => [String(i), v])
        : Object.entries(node);
    for (const [key, child] of entries) {
        indexPointers(child, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
    }
}
/** Every schema problem of `data` taken as a plan; empty when it is valid. */
function validatePlanData(data) {
    const { root } = compile();
    return dropExplainedMissing(dedupe(collect(root, data, [])));
}
/** Follows `$ref`s (local `#/$defs/...` only) to the schema they name, collecting the def names passed. */
function resolveRef(node, refs = []) {
    let current = node;
    for (let hops = 0; current.$ref !== undefined && hops < 32; hops++) {
        const match = /^#\/\$defs\/([^/]+)$/.exec(current.$ref);
        const target = match ? planSchema.$defs?.[match[1]] : undefined;
        if (!match || !target)
            throw new Error(`unsupported $ref ${current.$ref} in the plan schema`);
        refs.push(match[1]);
        current = target;
    }
    return current;
}
/**
 * The branch of a oneOf/anyOf that the value evidently means: the only one of
 * the right type, or the only one whose required keys (the discriminator,
 * e.g. `http` for a check) are all present. Undefined when there is no such branch.
 */
function chooseBranch(branches, value) {
    const { byType, byKeys } = fittingBranches(branches, value);
    if (byType.length === 1)
        return byType[0];
    if (byKeys.length === 1)
        return byKeys[0];
    return undefined;
}
function fittingBranches(branches, value) {
    const byType = branches
        .map((b, i) => [resolveRef(b), i])
        .filter(([b]) => b.type === undefined || typeMatches(b.type, value))
        .map(([, i]) => i);
    const byKeys = isPlainObject(value)
        ? byType.filter(i => (resolveRef(branches[i]).required ?? []).every(k => k in value))
        : [];
    return { byType, byKeys };
}
function collect(validate, data, base) {
    if (validate(data))
        return [];
    // ajv reuses the array on the next call of the same function: copy before recursing.
    const errors = [...(validate.errors ?? [])];
    const alternatives = outermostAlternatives(errors);
    const issues = [];
    for (const e of errors) {
        if (alternatives.some(a => within(e.instancePath, a.instancePath)))
            continue;
        const issue = describeError(e, data, base);
        if (issue)
            issues.push(issue);
    }
    for (const alt of alternatives)
        issues.push(...resolveAlternatives(alt, data, base));
    return issues;
}
function outermostAlternatives(errors) {
    const alts = errors
        .filter(e => e.keyword === 'oneOf' || e.keyword === 'anyOf')
        .sort((a, b) => a.instancePath.length - b.instancePath.length);
    const kept = [];
    for (const alt of alts) {
        if (!kept.some(k => within(alt.instancePath, k.instancePath)))
            kept.push(alt);
    }
    return kept;
}
function within(pointer, ancestor) {
    return pointer === ancestor || pointer.startsWith(`${ancestor}/`);
}
function resolveAlternatives(alt, data, base) {
    const path = [...base, ...pointerToPath(alt.instancePath, data)];
    const value = alt.data;
    const node = alt.parentSchema;
    const keyword = alt.keyword;
    const branches = node?.[keyword];
    if (!node || !Array.isArray(branches))
        return [{ path, at: 'value', message: alt.message ?? 'invalid' }];
    const passing = alt.params.passingSchemas;
    if (Array.isArray(passing) && passing.length > 1) {
        return [
            { path, at: 'value', message: `matches more than one of: ${branchNames(branches, passing)}` }
        ];
    }
    const { byType, byKeys } = fittingBranches(branches, value);
    if (byType.length === 0) {
        const expected = (0,suggest/* listWords */.yh)(unique(branches.map(b => expectedOfBranch(resolveRef(b)))));
        return [{ path, at: 'value', message: `expected ${expected}, got ${describeValue(value)}` }];
    }
    let chosen = byType.length === 1 ? byType[0] : undefined;
    if (chosen === undefined && isPlainObject(value)) {
        const keys = unique(byType.flatMap(i => resolveRef(branches[i]).required?.slice(0, 1) ?? []));
        if (byKeys.length === 1)
            chosen = byKeys[0];
        else if (byKeys.length > 1) {
            const found = keys.filter(k => k in value);
            return [
                {
                    path,
                    at: 'value',
                    message: `expected exactly one of ${(0,suggest/* listWords */.yh)(keys)}, found ${(0,suggest/* listWords */.yh)(found, 'and')}`
                }
            ];
        }
        else {
            const known = new Set(byType.flatMap(i => Object.keys(resolveRef(branches[i]).properties ?? {})));
            const stray = Object.keys(value).find(k => !known.has(k));
            if (stray !== undefined) {
                return [
                    {
                        path: [...path, stray],
                        at: 'key',
                        message: `unknown field "${stray}"${(0,suggest/* didYouMean */.au)(stray, keys)}; expected exactly one of ${(0,suggest/* listWords */.yh)(keys)}`
                    }
                ];
            }
            return [{ path, at: 'value', message: `expected exactly one of ${(0,suggest/* listWords */.yh)(keys)}` }];
        }
    }
    if (chosen === undefined)
        chosen = fewestErrors(node, keyword, byType, value);
    const validateBranch = branchValidator(node, keyword, chosen);
    const nested = validateBranch ? collect(validateBranch, value, path) : [];
    if (nested.length > 0)
        return nested;
    return [{ path, at: 'value', message: `expected ${branchNames(branches, byType)}` }];
}
function branchValidator(node, keyword, index) {
    const { ajv, pointers } = compile();
    const pointer = pointers.get(node);
    return pointer === undefined
        ? undefined
        : ajv.getSchema(`${PLAN_SCHEMA_ID}#${pointer}/${keyword}/${index}`);
}
function fewestErrors(node, keyword, candidates, value) {
    let best = candidates[0];
    let bestCount = Infinity;
    for (const i of candidates) {
        const validate = branchValidator(node, keyword, i);
        if (!validate)
            continue;
        const count = validate(value) ? 0 : (validate.errors?.length ?? 0);
        if (count < bestCount) {
            best = i;
            bestCount = count;
        }
    }
    return best;
}
function branchNames(branches, indexes) {
    return (0,suggest/* listWords */.yh)(indexes.map(i => resolveRef(branches[i]).title ?? `shape ${i + 1}`));
}
function expectedOfBranch(b) {
    return b.type === undefined ? (b.title ?? 'another shape') : typeWords(b.type);
}
function describeError(e, data, base) {
    const path = [...base, ...pointerToPath(e.instancePath, data)];
    const parent = (e.parentSchema ?? {});
    const params = e.params;
    const got = describeValue(e.data);
    // ajv reports a bad property name twice: the inner error carries `propertyName`.
    const propertyName = e.propertyName;
    if (propertyName !== undefined) {
        const expected = parent.patternErrorMessage ?? `expected a name matching ${String(parent.pattern)}`;
        return {
            path: [...path, propertyName],
            at: 'key',
            message: `invalid field name "${propertyName}": ${expected}`
        };
    }
    switch (e.keyword) {
        case 'propertyNames':
            return undefined;
        case 'required': {
            const missing = String(params.missingProperty);
            return {
                path: [...path, missing],
                at: 'parent',
                message: `missing required field "${missing}"`
            };
        }
        case 'additionalProperties': {
            const field = String(params.additionalProperty);
            const suggestion = (0,suggest/* closestMatch */.h0)(field, Object.keys(parent.properties ?? {}));
            return { path: [...path, field], at: 'key', message: unknownField(field, parent), suggestion };
        }
        case 'type': {
            const expected = parent.patternErrorMessage ?? `expected ${typeWords(params.type)}`;
            return { path, at: 'value', message: `${expected}, got ${got}` };
        }
        case 'pattern': {
            const expected = parent.patternErrorMessage ?? `expected a value matching ${String(params.pattern)}`;
            return { path, at: 'value', message: `${expected}, got ${got}` };
        }
        case 'enum': {
            const allowed = params.allowedValues.map(v => JSON.stringify(v));
            const hint = typeof e.data === 'string' ? (0,suggest/* didYouMean */.au)(e.data, params.allowedValues) : '';
            return {
                path,
                at: 'value',
                message: `expected one of ${(0,suggest/* listWords */.yh)(allowed)}, got ${got}${hint}`
            };
        }
        case 'const':
            return {
                path,
                at: 'value',
                message: `expected ${JSON.stringify(params.allowedValue)}, got ${got}`
            };
        case 'minimum':
        case 'maximum':
        case 'exclusiveMinimum':
        case 'exclusiveMaximum':
            return {
                path,
                at: 'value',
                message: `expected a number ${String(params.comparison)} ${String(params.limit)}, got ${got}`
            };
        case 'minItems':
            return {
                path,
                at: 'value',
                message: `expected at least ${plural(Number(params.limit), 'item')}, got ${listLength(e.data)}`
            };
        case 'maxItems':
            return {
                path,
                at: 'value',
                message: `expected at most ${plural(Number(params.limit), 'item')}, got ${listLength(e.data)}`
            };
        case 'minLength':
            return Number(params.limit) === 1
                ? { path, at: 'value', message: 'expected a non-empty string' }
                : {
                    path,
                    at: 'value',
                    message: `expected at least ${plural(Number(params.limit), 'character')}, got ${got}`
                };
        case 'maxLength':
            return {
                path,
                at: 'value',
                message: `expected at most ${plural(Number(params.limit), 'character')}, got ${String(e.data).length}`
            };
        case 'minProperties':
            return {
                path,
                at: 'value',
                message: `expected at least ${plural(Number(params.limit), 'field')}`
            };
        case 'uniqueItems':
            return {
                path: [...path, Number(params.i)],
                at: 'value',
                message: `duplicate of item ${String(params.j)}`
            };
        default:
            return { path, at: 'value', message: e.message ?? `fails ${e.keyword}` };
    }
}
function unknownField(field, parent) {
    if (field === '<<')
        return 'YAML merge keys (<<) are not supported: write the fields out';
    const allowed = Object.keys(parent.properties ?? {});
    const hint = (0,suggest/* didYouMean */.au)(field, allowed);
    if (hint)
        return `unknown field "${field}"${hint}`;
    return allowed.length > 0
        ? `unknown field "${field}"; allowed: ${(0,suggest/* listWords */.yh)(allowed)}`
        : `unknown field "${field}"`;
}
/** Field path segments of a JSON pointer into `data` (list indexes as numbers). */
function pointerToPath(pointer, data) {
    if (pointer === '')
        return [];
    const path = [];
    let cursor = data;
    for (const raw of pointer.slice(1).split('/')) {
        const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
        if (Array.isArray(cursor) && /^\d+$/.test(key)) {
            path.push(Number(key));
            cursor = cursor[Number(key)];
        }
        else {
            path.push(key);
            cursor = isPlainObject(cursor) ? cursor[key] : undefined;
        }
    }
    return path;
}
/** The JSON type of a value as JSON Schema names it (`integer` for whole numbers). */
function jsonType(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'array';
    if (typeof value === 'number')
        return Number.isInteger(value) ? 'integer' : 'number';
    return typeof value;
}
function typeMatches(type, value) {
    const actual = jsonType(value);
    const types = Array.isArray(type) ? type : [type];
    return types.some(t => t === actual || (t === 'number' && actual === 'integer'));
}
const TYPE_WORDS = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    integer: 'an integer',
    number: 'a number',
    boolean: 'true or false',
    null: 'nothing'
};
function typeWords(type) {
    const types = Array.isArray(type) ? type : [type];
    return (0,suggest/* listWords */.yh)(types.map(t => TYPE_WORDS[t] ?? t));
}
/** How a found value reads in a message: strings quoted, others by type with the value. */
function describeValue(value) {
    if (value === undefined)
        return 'nothing';
    if (value === null)
        return 'an empty value';
    if (typeof value === 'string') {
        const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
        return JSON.stringify(shown);
    }
    if (typeof value === 'number')
        return `a number (${value})`;
    if (typeof value === 'boolean')
        return `${value}`;
    if (Array.isArray(value))
        return `a list of ${plural(value.length, 'item')}`;
    return 'a mapping';
}
function listLength(value) {
    return Array.isArray(value) ? String(value.length) : describeValue(value);
}
function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}
function unique(items) {
    return [...new Set(items)];
}
// `reff: x` already says "did you mean ref?"; "missing required field ref" would only repeat it.
function dropExplainedMissing(issues) {
    const explained = new Set(issues
        .filter(i => i.suggestion !== undefined)
        .map(i => JSON.stringify([...i.path.slice(0, -1), i.suggestion])));
    return issues.filter(i => !(i.at === 'parent' && explained.has(JSON.stringify(i.path))));
}
function dedupe(issues) {
    const seen = new Set();
    return issues.filter(i => {
        const key = `${JSON.stringify(i.path)}\0${i.message}`;
        if (seen.has(key))
            return false;
        seen.add(key);
        return true;
    });
}
/** True for a plain mapping (not a list, not null). */
function isPlainObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/**
 * Every field of the plan paired with its schema, so lint can find all
 * durations, globs, CEL and PromQL strings without listing their paths.
 */
function typedFields(data) {
    const out = [];
    walk(planSchema, data, [], [], out);
    return out;
}
function walk(node, value, path, inherited, out) {
    const defs = [...inherited];
    let schema = resolveRef(node, defs);
    for (let depth = 0; depth < 8; depth++) {
        const branches = schema.oneOf ?? schema.anyOf;
        if (!branches)
            break;
        const chosen = chooseBranch(branches, value);
        if (chosen === undefined)
            return;
        schema = resolveRef(branches[chosen], defs);
    }
    out.push({ path, value, defs, schema });
    if (Array.isArray(value) && schema.items) {
        value.forEach((item, i) => walk(schema.items, item, [...path, i], [], out));
    }
    else if (isPlainObject(value)) {
        for (const [key, child] of Object.entries(value)) {
            const sub = schema.properties?.[key] ??
                (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
            if (sub)
                walk(sub, child, [...path, key], [], out);
        }
    }
}


/***/ }),

/***/ 5081:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   au: () => (/* binding */ didYouMean),
/* harmony export */   h0: () => (/* binding */ closestMatch),
/* harmony export */   yh: () => (/* binding */ listWords)
/* harmony export */ });
/* unused harmony export editDistance */
/** Did-you-mean suggestions for misspelled field names, enum values and references. */
/** Edit distance (insertions, deletions, substitutions, adjacent swaps) between two strings. */
function editDistance(a, b) {
    if (a === b)
        return 0;
    if (a.length === 0)
        return b.length;
    if (b.length === 0)
        return a.length;
    // Optimal string alignment: a transposed pair ("tagret") costs 1, as a reader would count it.
    const rows = a.length + 1;
    const cols = b.length + 1;
    const d = new Array(rows * cols).fill(0);
    for (let i = 0; i < rows; i++)
        d[i * cols] = i;
    for (let j = 0; j < cols; j++)
        d[j] = j;
    for (let i = 1; i < rows; i++) {
        for (let j = 1; j < cols; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            let best = Math.min(d[(i - 1) * cols + j] + 1, d[i * cols + j - 1] + 1, d[(i - 1) * cols + j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
                best = Math.min(best, d[(i - 2) * cols + j - 2] + 1);
            }
            d[i * cols + j] = best;
        }
    }
    return d[rows * cols - 1];
}
/** The candidate closest to `word` when it is close enough to be a likely typo, else undefined. */
function closestMatch(word, candidates) {
    const lower = word.toLowerCase();
    let best;
    let bestScore = Infinity;
    for (const candidate of candidates) {
        if (candidate === word)
            continue;
        // Case and separator slips (`Namespace`, `reality_check`) are the commonest typos.
        const score = normalise(candidate) === normalise(word) ? 0 : editDistance(lower, candidate.toLowerCase());
        if (score < bestScore) {
            best = candidate;
            bestScore = score;
        }
    }
    if (best === undefined)
        return undefined;
    // Short names tolerate one edit, longer ones about a third of their length: "nmae" → "name",
    // but "foo" is not a typo of "for".
    const allowed = Math.max(1, Math.min(3, Math.floor(Math.max(word.length, best.length) / 3)));
    return bestScore <= allowed ? best : undefined;
}
/** ` (did you mean "x"?)` when a candidate is close, otherwise an empty string. */
function didYouMean(word, candidates) {
    const match = closestMatch(word, candidates);
    return match === undefined ? '' : ` (did you mean "${match}"?)`;
}
/** A short human list: `a, b or c`; long lists are cut with "…". */
function listWords(words, conjunction = 'or', max = 12) {
    const shown = words.length > max ? [...words.slice(0, max), '…'] : [...words];
    if (shown.length <= 1)
        return shown.join('');
    return `${shown.slice(0, -1).join(', ')} ${conjunction} ${shown[shown.length - 1]}`;
}
function normalise(s) {
    return s.toLowerCase().replace(/[-_ ]/g, '');
}


/***/ }),

/***/ 6867:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Rr: () => (/* binding */ exitCodeFor),
/* harmony export */   WG: () => (/* binding */ isPassing),
/* harmony export */   WI: () => (/* binding */ REPORT_SCHEMA_VERSION),
/* harmony export */   aG: () => (/* binding */ combineVerdicts),
/* harmony export */   qX: () => (/* binding */ countVerdicts),
/* harmony export */   rn: () => (/* binding */ GATE_NAMES),
/* harmony export */   xp: () => (/* binding */ gateResult)
/* harmony export */ });
/**
 * The one result model every renderer works from: CheckResult → GateResult →
 * RunReport, serialised as versioned JSON. Nothing here talks to a cluster or
 * formats Markdown.
 */
const REPORT_SCHEMA_VERSION = 1;
const GATE_NAMES = [
    'reality-check',
    'tracer',
    'plan',
    'phase',
    'validate',
    'record',
    'rollout',
    'rollback',
    'soak'
];
// Order in which a verdict dominates another when results are combined: a
// known failure says more than a check that could not be made, and both more
// than a warning.
const RANK = {
    skip: 0,
    pass: 1,
    warn: 2,
    inconclusive: 3,
    error: 4,
    fail: 5,
    cancelled: 6
};
/** The verdict that stands for a set of verdicts (empty → pass). */
function combineVerdicts(verdicts) {
    let worst;
    let all = 0;
    let skipped = 0;
    for (const v of verdicts) {
        all++;
        if (v === 'skip')
            skipped++;
        if (worst === undefined || RANK[v] > RANK[worst])
            worst = v;
    }
    if (worst === undefined)
        return 'pass';
    // A gate whose every check was skipped did not prove anything, but it did not fail either.
    if (skipped === all)
        return 'skip';
    return worst === 'skip' ? 'pass' : worst;
}
/** True when the verdict lets a deployment go on (warnings allowed). */
function isPassing(v) {
    return v === 'pass' || v === 'warn' || v === 'skip';
}
/** Exit code of the CLI for a run's verdict (see the CLI contract). */
function exitCodeFor(v, signal) {
    switch (v) {
        case 'pass':
        case 'warn':
        case 'skip':
            return 0;
        case 'fail':
        case 'inconclusive':
            return 1;
        case 'error':
            return 3;
        case 'cancelled':
            return signal === 'SIGINT' ? 130 : 143;
    }
}
/** Builds a GateResult whose verdict is derived from its checks. */
function gateResult(gate, startedAt, checks, extra = {}) {
    const { now, ...rest } = extra;
    return {
        gate,
        verdict: rest.verdict ?? combineVerdicts(checks.map(c => c.verdict)),
        durationMs: Math.max(0, (now ?? Date.now()) - startedAt),
        startedAt: new Date(startedAt).toISOString(),
        ...rest,
        checks
    };
}
/** Counts of checks per verdict, for headlines. */
function countVerdicts(checks) {
    const counts = {
        pass: 0,
        warn: 0,
        fail: 0,
        skip: 0,
        inconclusive: 0,
        cancelled: 0,
        error: 0
    };
    for (const c of checks)
        counts[c.verdict]++;
    return counts;
}


/***/ })

};
