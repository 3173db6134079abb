export const id = 718;
export const ids = [718];
export const modules = {

/***/ 7718:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   post: () => (/* binding */ post)
/* harmony export */ });
/* unused harmony export registerPostHook */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3218);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4296);
/* harmony import */ var _core_secrets_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8198);
/* harmony import */ var _names_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2814);
/** The post step (post-if: always()): removes what this run left (temp kubeconfig); only ever warns. */





const hooks = [];
/** Registers a cleanup the post step runs. */
function registerPostHook(hook) {
    hooks.push(hook);
}
/** The post step. */
async function post() {
    const state = (name) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(name);
    for (const hook of hooks) {
        try {
            await hook(state);
        }
        catch (err) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e((0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .redact */ .E$)(`post-step cleanup: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(err)}`));
        }
    }
    const dir = state(_names_js__WEBPACK_IMPORTED_MODULE_4__/* .STATE */ .c4.tempDir);
    if (dir) {
        try {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(dir, { recursive: true, force: true });
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq('removed the temporary kubeconfig');
        }
        catch (err) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e((0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .redact */ .E$)(`could not remove ${dir}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(err)}`));
        }
    }
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


/***/ })

};
