export const id = 864;
export const ids = [864];
export const modules = {

/***/ 6864:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// UNUSED EXPORTS: actionLogger

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 20 modules
var core = __webpack_require__(3218);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: ./src/core/errors.ts
var core_errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/core/secrets.ts
var secrets = __webpack_require__(8198);
;// CONCATENATED MODULE: ./src/core/signals.ts
/**
 * SIGINT/SIGTERM as cancellation: the first aborts the run's signal, so a
 * tracer cleans up and a phase rolls back; later ones are only logged, since
 * cleanup must finish rather than stop half-way (GitHub sends SIGINT, then
 * SIGTERM, and kills the process a few seconds later; the post step finishes
 * what is left).
 */
/** Listens for SIGINT and SIGTERM on `proc` until disposed. */
function onTermination(log, proc = process) {
    const controller = new AbortController();
    let first;
    const handle = (sig) => {
        if (first) {
            log.warn(`${sig} again: cleanup is running and will finish; the post step or the next run removes anything it cannot`);
            return;
        }
        first = sig;
        log.warn(`${sig}: stopping; cleaning up what this run created`);
        controller.abort(new Error(sig));
    };
    const sigint = () => handle('SIGINT');
    const sigterm = () => handle('SIGTERM');
    proc.on('SIGINT', sigint);
    proc.on('SIGTERM', sigterm);
    return {
        signal: controller.signal,
        received: () => first,
        dispose: () => {
            proc.off('SIGINT', sigint);
            proc.off('SIGTERM', sigterm);
        }
    };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/core/clock.ts
var core_clock = __webpack_require__(2257);
// EXTERNAL MODULE: ./src/core/exec.ts
var exec = __webpack_require__(2642);
// EXTERNAL MODULE: ./src/gates/index.ts + 44 modules
var src_gates = __webpack_require__(8389);
// EXTERNAL MODULE: ./src/kube/client.ts + 3 modules
var kube_client = __webpack_require__(4229);
// EXTERNAL MODULE: ./src/kube/lock.ts
var kube_lock = __webpack_require__(5766);
// EXTERNAL MODULE: ./src/core/retry.ts
var retry = __webpack_require__(7253);
// EXTERNAL MODULE: ./src/core/duration.ts
var duration = __webpack_require__(8571);
// EXTERNAL MODULE: ./src/kube/types.ts
var types = __webpack_require__(6384);
// EXTERNAL MODULE: ./src/plan/loader.ts
var loader = __webpack_require__(3700);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./src/cel/cel-error.ts
var cel_error = __webpack_require__(4687);
// EXTERNAL MODULE: ./src/cel/criteria.ts
var criteria = __webpack_require__(2875);
// EXTERNAL MODULE: ./src/cel/shorthand.ts
var shorthand = __webpack_require__(7239);
// EXTERNAL MODULE: ./src/plan/budgets.ts
var budgets = __webpack_require__(6817);
// EXTERNAL MODULE: ./src/plan/schema.ts + 1 modules
var schema = __webpack_require__(3633);
// EXTERNAL MODULE: ./src/plan/suggest.ts
var suggest = __webpack_require__(5081);
;// CONCATENATED MODULE: ./src/plan/lint.ts
/**
 * Plan checks the schema cannot express: unique names, references between
 * sections (rollbackIf metrics, rollback levels), stage order, durations,
 * paths that must stay inside the repository, rollback level targets, CEL
 * and (cheaply) PromQL. No cluster is needed: this is `phase-gate lint`.
 */












/** Variables bound in each expression context, for the CEL environment. */
const CEL_VARS = {
    object: ['object'],
    hygiene: ['object', 'params', 'variables'],
    http: ['status', 'headers', 'body', 'json'],
    value: ['value', 'baseline']
};
/** The project's CEL environment, as the gates will compile the same expressions. */
const compileWithProjectCel = (source, context) => {
    // Hygiene rules compile as a ValidatingAdmissionPolicy compiles them (src/hygiene/engine.ts).
    (0,criteria/* compileCached */.u_)(source, CEL_VARS[context], { mixedArithmetic: context !== 'hygiene' });
};
/** All lint problems of a loaded plan, in file order; errors make `phase-gate lint` exit 2. */
function lintPlan(loaded, opts = {}) {
    const ctx = new LintContext(loaded);
    const { plan } = loaded;
    const fields = (0,schema/* typedFields */.WH)(plan);
    checkUniqueNames(ctx, plan);
    checkStages(ctx, plan);
    checkRollout(ctx, plan);
    checkTracers(ctx, plan);
    checkPhases(ctx, plan);
    checkRollbackLevels(ctx, plan);
    checkChecks(ctx, plan);
    checkDurations(ctx, plan, fields);
    checkPromql(ctx, fields);
    checkCel(ctx, plan, fields, opts.compileCel ?? compileWithProjectCel);
    if (opts.checkFiles !== false)
        checkPaths(ctx, loaded, fields);
    return ctx.problems.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
}
/** A problem as one line: `file:line:col: path: message` (warnings say so after the path). */
function formatProblem(p) {
    const { file, line, column } = p.location;
    const prefix = p.severity === 'warning' ? 'warning: ' : '';
    return `${file}:${line}:${column}: ${p.path}: ${prefix}${p.message}`;
}
/** Throws UsageError (exit 2) when any problem is an error; warnings pass. */
function assertNoLintErrors(loaded, problems) {
    const errors = problems.filter(p => p.severity === 'error');
    if (errors.length === 0)
        return;
    throw new UsageError(`${loaded.displayFile}: the plan has ${errors.length} lint error${errors.length === 1 ? '' : 's'}`, errors.map(formatProblem));
}
class LintContext {
    loaded;
    problems = [];
    constructor(loaded) {
        this.loaded = loaded;
    }
    add(severity, p, message) {
        const location = this.loaded.locate(p);
        this.problems.push({ severity, location, path: (0,loader/* formatFieldPath */.vZ)(p), message });
    }
    error(p, message) {
        this.add('error', p, message);
    }
    warn(p, message) {
        this.add('warning', p, message);
    }
    line(p) {
        return this.loaded.locate(p).line;
    }
}
function checkUniqueNames(ctx, plan) {
    const lists = [
        { what: 'tracer name', base: ['tracers'], items: plan.tracers, key: 'name' },
        { what: 'phase name', base: ['phases'], items: plan.phases, key: 'name' },
        { what: 'stage name', base: ['rollout', 'stages'], items: plan.rollout?.stages, key: 'name' },
        {
            what: 'rollback level',
            base: ['rollbackLevels'],
            items: plan.rollbackLevels,
            key: 'level'
        },
        {
            what: 'hygiene rule id',
            base: ['hygiene', 'rules'],
            items: plan.hygiene?.rules,
            key: 'id'
        },
        { what: 'notification name', base: ['notify'], items: plan.notify, key: 'name' }
    ];
    for (const { what, base, items, key } of lists) {
        const first = new Map();
        (items ?? []).forEach((item, i) => {
            const value = (0,schema/* isPlainObject */.Qd)(item) ? item[key] : undefined;
            if (typeof value !== 'string')
                return;
            const earlier = first.get(value);
            if (earlier === undefined) {
                first.set(value, i);
                return;
            }
            const other = [...base, earlier, key];
            ctx.error([...base, i, key], `duplicate ${what} "${value}" (also ${(0,loader/* formatFieldPath */.vZ)(other)} at line ${ctx.line(other)})`);
        });
    }
}
function checkStages(ctx, plan) {
    const stages = plan.rollout?.stages ?? [];
    let previous;
    stages.forEach((stage, i) => {
        const p = ['rollout', 'stages', i, 'weight'];
        if (stage.weight < 0 || stage.weight > 100) {
            ctx.error(p, `weight must be between 0 and 100, got ${stage.weight}`);
        }
        else if (previous !== undefined && stage.weight <= previous) {
            ctx.error(p, `weights must increase from stage to stage: ${stage.weight} is not above ${previous} (rollout.stages[${i - 1}])`);
        }
        previous = stage.weight;
    });
    const last = stages[stages.length - 1];
    if (last && last.weight !== 100) {
        ctx.error(['rollout', 'stages', stages.length - 1, 'weight'], `the last stage must take the canary to 100, got ${last.weight}`);
    }
}
function checkRollout(ctx, plan) {
    const rollout = plan.rollout;
    if (!rollout)
        return;
    const metrics = rollout.metrics ?? {};
    const queries = Object.keys(metrics).filter(k => k !== 'prometheus');
    if (rollout.canary && sameWorkload(rollout.canary, rollout.target)) {
        ctx.error(['rollout', 'canary'], 'the canary is the same workload as the target (stable)');
    }
    if (queries.length > 0 &&
        rollout.metrics?.prometheus === undefined &&
        plan.prometheus === undefined) {
        // Settings may still supply one, so this only warns.
        ctx.warn(['rollout', 'metrics'], 'no Prometheus in the plan: set `prometheus` at the top level or under rollout.metrics, or in the settings');
    }
    for (const name of queries) {
        const query = metrics[name];
        if (typeof query === 'string' && !query.includes('{{track}}')) {
            ctx.warn(['rollout', 'metrics', name], 'the query has no {{track}}: canary and baseline (stable) read the same series');
        }
    }
    if ((rollout.rollbackIf ?? []).some(t => t.metric !== undefined) &&
        metrics.requests === undefined) {
        ctx.warn(['rollout', 'metrics'], 'no `requests` query: zero canary traffic cannot be told apart from missing data');
    }
    ;
    (rollout.rollbackIf ?? []).forEach((trigger, i) => {
        const p = ['rollout', 'rollbackIf', i];
        const judged = ['above', 'below', 'cel'].filter(k => k in trigger);
        if (trigger.resource !== undefined) {
            checkResourceTrigger(ctx, p, trigger, judged);
        }
        else if (trigger.metric !== undefined) {
            if (trigger.metric === 'prometheus' || !queries.includes(trigger.metric)) {
                const defined = queries.length > 0 ? `; defined: ${queries.join(', ')}` : '';
                ctx.error([...p, 'metric'], `metric "${trigger.metric}" is not defined under rollout.metrics${(0,suggest/* didYouMean */.au)(trigger.metric, queries)}${defined}`);
            }
            if (judged.length === 0 && trigger.noDataFor === undefined) {
                ctx.error(p, `a trigger on metric "${trigger.metric}" needs above, below or cel`);
            }
        }
        else if (judged.length > 0) {
            ctx.error(p, `${judged.join(' and ')} needs a metric to judge`);
        }
        else if (trigger.noDataFor === undefined) {
            ctx.error(p, 'a trigger needs a metric (with above, below or cel) or noDataFor');
        }
        if (trigger.samples !== undefined && trigger.of !== undefined && trigger.samples > trigger.of) {
            ctx.error([...p, 'samples'], `samples (${trigger.samples}) cannot exceed of (${trigger.of})`);
        }
    });
    checkLevelReference(ctx, plan, ['rollout', 'onTrigger'], rollout.onTrigger);
    checkLevelReference(ctx, plan, ['soak', 'onDegraded'], plan.soak?.onDegraded);
    const sustained = plan.soak?.sustained;
    if (sustained && sustained.samples > sustained.of) {
        ctx.error(['soak', 'sustained', 'samples'], `samples (${sustained.samples}) cannot exceed of (${sustained.of})`);
    }
}
function sameWorkload(a, b) {
    return a.kind === b.kind && a.name === b.name;
}
// A trigger on the canary's share of its limits: no metric beside it, a threshold, and no baseline
// (the stable track's share is not read); a bare number above 1 is almost surely a percentage.
function checkResourceTrigger(ctx, p, trigger, judged) {
    if (trigger.metric !== undefined)
        ctx.error(p, `give either metric or resource, not both: resource: ${trigger.resource} judges the canary's share of its limits`);
    if (judged.length === 0 && trigger.noDataFor === undefined)
        ctx.error(p, `a trigger on resource "${trigger.resource}" needs above, below or cel (e.g. above: 80%)`);
    for (const k of ['above', 'below']) {
        const v = trigger[k];
        if (v === undefined)
            continue;
        if (/baseline/.test(String(v)))
            ctx.error([...p, k], `${k}: ${String(v)}: a resource trigger has no baseline; give a share of the limits like 80%`);
        else if (typeof v === 'number' && v > 1)
            ctx.warn([...p, k], `${k}: ${v} is ${v * 100} % of the limits; write ${v}% if you meant a percentage`);
    }
    if (trigger.cel !== undefined && /\bbaseline\b/.test(trigger.cel))
        ctx.error([...p, 'cel'], 'a resource trigger has no baseline; its cel sees only `value` (the highest share of a limit)');
}
function checkLevelReference(ctx, plan, p, level) {
    if (level === undefined || level === 'none')
        return;
    if (!(plan.rollbackLevels ?? []).some(l => l.level === level)) {
        ctx.error(p, `rollback level "${level}" is not defined under rollbackLevels`);
    }
}
function checkTracers(ctx, plan) {
    ;
    (plan.tracers ?? []).forEach((tracer, i) => {
        const p = ['tracers', i, 'manifest'];
        const { file, inline } = tracer.manifest;
        if ((file === undefined) === (inline === undefined)) {
            ctx.error(p, 'expected exactly one of file or inline');
            return;
        }
        if (inline !== undefined) {
            const message = inlineManifestProblem(inline);
            if (message)
                ctx.error([...p, 'inline'], message);
        }
    });
}
function inlineManifestProblem(text) {
    const docs = (0,dist/* parseAllDocuments */.hR)(text).filter(d => d.contents !== null);
    if (docs.length !== 1)
        return `expected one object in the inline manifest, found ${docs.length}`;
    const [doc] = docs;
    if (doc.errors.length > 0) {
        // Parser messages end in " at line L, column C:" and a code frame; the line is enough.
        const first = doc.errors[0].message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
        return `the inline manifest is not valid YAML: ${first}`;
    }
    let object;
    try {
        object = doc.toJS({ maxAliasCount: 0 });
    }
    catch (err) {
        return `the inline manifest cannot be read: ${(0,core_errors/* errorMessage */.gJ)(err)}`;
    }
    if (!(0,schema/* isPlainObject */.Qd)(object))
        return 'the inline manifest must be a mapping (a Kubernetes object)';
    const missing = ['apiVersion', 'kind'].filter(k => typeof object[k] !== 'string');
    const name = (0,schema/* isPlainObject */.Qd)(object.metadata) ? object.metadata.name : undefined;
    if (typeof name !== 'string' &&
        !((0,schema/* isPlainObject */.Qd)(object.metadata) && 'generateName' in object.metadata)) {
        missing.push('metadata.name');
    }
    return missing.length > 0 ? `the inline manifest lacks ${missing.join(', ')}` : undefined;
}
function checkPhases(ctx, plan) {
    ;
    (plan.phases ?? []).forEach((phase, i) => {
        const p = ['phases', i];
        if ((phase.apply ?? []).length === 0 && !phase.helm && !phase.migration) {
            ctx.warn(p, `phase "${phase.name}" applies nothing (no apply, helm or migration)`);
        }
        ;
        (phase.rollback ?? []).forEach((action, j) => {
            if ('helm' in action && !phase.helm) {
                ctx.error([...p, 'rollback', j, 'helm'], `helm: rollback needs a phase with a helm release; phase "${phase.name}" has none`);
            }
        });
        const timeout = (0,duration/* parseDuration */.E9)(phase.timeout);
        if (timeout !== undefined && isDuration(phase.budget ?? plan.budgets?.phase)) {
            const budget = (0,budgets/* phaseBudgetMs */.bb)(plan, phase);
            if (timeout > budget) {
                ctx.warn([...p, 'timeout'], `the timeout (${phase.timeout}) is longer than the phase budget (${formatMinutes(budget)})`);
            }
        }
    });
}
function isDuration(text) {
    return text === undefined || (0,duration/* parseDuration */.E9)(text) !== undefined;
}
function formatMinutes(ms) {
    return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`;
}
// Which fields each level reads; the others are ignored by that level, which is worth a warning.
const LEVEL_FIELDS = {
    flag: ['configMap', 'key', 'value', 'command'],
    config: ['configMaps', 'secrets'],
    code: ['target', 'helm', 'command']
};
function checkRollbackLevels(ctx, plan) {
    ;
    (plan.rollbackLevels ?? []).forEach((level, i) => {
        const p = ['rollbackLevels', i];
        switch (level.level) {
            case 'flag': {
                const viaConfigMap = ['configMap', 'key', 'value'];
                const given = viaConfigMap.filter(k => level[k] !== undefined);
                if (level.command === undefined && given.length < 3) {
                    const missing = viaConfigMap.filter(k => level[k] === undefined);
                    ctx.error(p, `level flag needs configMap, key and value (missing ${missing.join(', ')}) or a command`);
                }
                break;
            }
            case 'config':
                if ((level.configMaps ?? []).length === 0 && (level.secrets ?? []).length === 0) {
                    ctx.error(p, 'level config needs configMaps or secrets to restore');
                }
                break;
            case 'code':
                if (level.target === undefined && level.helm === undefined) {
                    ctx.error(p, 'level code needs a target workload or a helm release to undo');
                }
                break;
        }
        const used = LEVEL_FIELDS[level.level];
        for (const key of Object.keys(level)) {
            if (key === 'level' || key === 'budget' || used.includes(key))
                continue;
            ctx.warn([...p, key], `${key} is ignored by level ${level.level}`);
        }
    });
}
function checkChecks(ctx, plan) {
    const lists = [
        [['validation', 'checks'], plan.validation?.checks],
        [['rollout', 'infra'], plan.rollout?.infra],
        [['soak', 'thresholds'], plan.soak?.thresholds],
        ...(plan.phases ?? []).map((ph, i) => [
            ['phases', i, 'validate'],
            ph.validate
        ])
    ];
    let metricCheck;
    for (const [base, checks] of lists) {
        ;
        (checks ?? []).forEach((check, i) => {
            const p = [...base, i];
            if ('http' in check) {
                const { service, url } = check.http;
                if ((service === undefined) === (url === undefined)) {
                    ctx.error([...p, 'http'], 'expected exactly one of service or url');
                }
            }
            if ('metric' in check && !metricCheck)
                metricCheck = [...p, 'metric'];
        });
    }
    if (metricCheck &&
        plan.prometheus === undefined &&
        plan.rollout?.metrics?.prometheus === undefined) {
        ctx.warn(metricCheck, 'no Prometheus in the plan: metric checks need `prometheus` at the top level or in the settings');
    }
}
function checkDurations(ctx, plan, fields) {
    for (const f of fields) {
        if (!f.defs.includes('duration') || typeof f.value !== 'string')
            continue;
        const ms = (0,duration/* parseDuration */.E9)(f.value);
        if (ms === undefined) {
            ctx.error(f.path, `"${f.value}" is not a duration like 30s, 5m or 1h30m`);
            continue;
        }
        const key = f.path[f.path.length - 1];
        const isBudget = f.path[0] === 'budgets' || key === 'budget';
        if (ms === 0 && (isBudget || key === 'timeout' || key === 'interval' || key === 'window')) {
            ctx.error(f.path, `a ${isBudget ? 'budget' : String(key)} of 0 leaves no time`);
        }
    }
    const every = plan.rollout?.interval;
    if (every !== undefined) {
        const interval = (0,duration/* parseDuration */.E9)(every) ?? 0;
        (plan.rollout?.stages ?? []).forEach((stage, i) => {
            const ms = (0,duration/* parseDuration */.E9)(stage.hold ?? '0s') ?? 0;
            if (ms > 0 && ms < interval) {
                ctx.warn(['rollout', 'stages', i, 'hold'], `the hold (${stage.hold}) is shorter than rollout.interval (${every}): metrics are judged at most once`);
            }
        });
    }
}
function checkPromql(ctx, fields) {
    for (const f of fields) {
        if (!f.defs.includes('promql') || typeof f.value !== 'string')
            continue;
        const message = promqlProblem(f.value);
        if (message)
            ctx.error(f.path, message);
    }
}
/**
 * A cheap PromQL sanity check: non-empty, brackets balanced and nested
 * properly, quotes closed. It is not a parser; Prometheus judges the rest
 * when the query runs.
 */
function promqlProblem(query) {
    if (query.trim() === '')
        return 'the query is empty';
    const closing = { ')': '(', ']': '[', '}': '{' };
    const stack = [];
    for (let i = 0; i < query.length; i++) {
        const ch = query[i];
        if (ch === '"' || ch === "'" || ch === '`') {
            const end = findQuoteEnd(query, i);
            if (end < 0)
                return `unclosed ${ch} quote at character ${i + 1}`;
            i = end;
        }
        else if (ch === '#') {
            // A comment runs to the end of the line.
            const nl = query.indexOf('\n', i);
            i = nl < 0 ? query.length : nl;
        }
        else if (ch === '(' || ch === '[' || ch === '{') {
            stack.push({ ch, at: i });
        }
        else if (ch in closing) {
            const open = stack.pop();
            if (!open)
                return `unbalanced "${ch}" at character ${i + 1}`;
            if (open.ch !== closing[ch]) {
                return `"${ch}" at character ${i + 1} does not close "${open.ch}" at character ${open.at + 1}`;
            }
        }
    }
    const open = stack.pop();
    if (open)
        return `unclosed "${open.ch}" at character ${open.at + 1}`;
    return undefined;
}
function findQuoteEnd(text, start) {
    const quote = text[start];
    for (let i = start + 1; i < text.length; i++) {
        if (quote !== '`' && text[i] === '\\')
            i++;
        else if (text[i] === quote)
            return i;
    }
    return -1;
}
function checkCel(ctx, plan, fields, compile) {
    const attempt = (p, context, toSource) => {
        try {
            compile(toSource(), context);
        }
        catch (err) {
            // Shorthand errors already say "invalid expectation ..."; CEL errors carry their position.
            ctx.error(p, err instanceof cel_error/* CelError */.P ? `invalid CEL: ${err.message}` : (0,core_errors/* errorMessage */.gJ)(err));
        }
    };
    for (const f of fields) {
        const value = f.value;
        if (typeof value !== 'string' || f.path[1] === 'rollbackIf')
            continue;
        if (f.defs.includes('cel'))
            attempt(f.path, celContext(f.path), () => value);
        // Metric expectations are shorthand ("< 0.5" is `value < 0.5`) or CEL.
        else if (f.defs.includes('expectation'))
            attempt(f.path, 'value', () => (0,shorthand/* expectationToCel */.MH)(value));
    }
    // A trigger's above/below/cel become one condition; shapes without one are reported by checkRollout.
    ;
    (plan.rollout?.rollbackIf ?? []).forEach((trigger, i) => {
        const field = ['cel', 'above', 'below'].find(k => trigger[k] !== undefined);
        if ((trigger.metric === undefined && trigger.resource === undefined) || field === undefined)
            return;
        attempt(['rollout', 'rollbackIf', i, field], 'value', () => (0,shorthand/* triggerToCel */.yd)(trigger));
    });
}
function celContext(p) {
    if (p[0] === 'hygiene')
        return 'hygiene';
    if (p.includes('success'))
        return 'object';
    if (p.includes('http'))
        return 'http';
    return 'value';
}
// Fields holding repository paths, and whether the path may be a directory.
function checkPaths(ctx, loaded, fields) {
    const roots = realRoots(loaded);
    for (const f of fields) {
        if (typeof f.value !== 'string')
            continue;
        if (f.defs.includes('repoGlob'))
            checkPath(ctx, roots, f.path, f.value, 'glob');
        else if (f.defs.includes('repoPath'))
            checkPath(ctx, roots, f.path, f.value, 'file');
    }
    ;
    (loaded.plan.phases ?? []).forEach((phase, i) => {
        const chart = phase.helm?.chart;
        if (chart !== undefined && /^(\.{1,2}\/|\/)/.test(chart)) {
            checkPath(ctx, roots, ['phases', i, 'helm', 'chart'], chart, 'any');
        }
    });
}
function realRoots(loaded) {
    const real = (p) => {
        try {
            return (0,external_node_fs_.realpathSync)(p);
        }
        catch {
            return external_node_path_default().resolve(p);
        }
    };
    return { dir: real(loaded.dir), root: real(loaded.root) };
}
function inside(root, p) {
    const rel = external_node_path_default().relative(root, p);
    return rel === '' || (!rel.startsWith(`..${(external_node_path_default()).sep}`) && rel !== '..' && !external_node_path_default().isAbsolute(rel));
}
const MAGIC = /[*?[\]{}]/;
function checkPath(ctx, roots, p, pattern, kind) {
    const segments = pattern.split('/');
    const firstMagic = kind === 'glob' ? segments.findIndex(s => MAGIC.test(s)) : -1;
    if (firstMagic >= 0 && segments.slice(firstMagic + 1).includes('..')) {
        ctx.error(p, `"${pattern}": ".." after a wildcard may leave the repository; write the directory out`);
        return;
    }
    const fixed = firstMagic >= 0 ? segments.slice(0, firstMagic).join('/') : pattern;
    const fixedAbs = external_node_path_default().isAbsolute(pattern)
        ? external_node_path_default().resolve(fixed || '/')
        : external_node_path_default().resolve(roots.dir, fixed);
    if (!inside(roots.root, fixedAbs)) {
        ctx.error(p, external_node_path_default().isAbsolute(pattern)
            ? `"${pattern}" is outside the repository: use a path relative to the plan file, inside the repository`
            : `"${pattern}" escapes the repository root: paths must stay inside it`);
        return;
    }
    const escape = symlinkEscape(roots.root, fixedAbs);
    if (escape) {
        ctx.error(p, `"${pattern}" leads through a symlink to ${escape}, outside the repository`);
        return;
    }
    let matches;
    try {
        matches =
            firstMagic >= 0
                ? (0,external_node_fs_.globSync)(pattern, { cwd: roots.dir }).map(m => external_node_path_default().resolve(roots.dir, m))
                : [fixedAbs];
    }
    catch (err) {
        ctx.warn(p, `"${pattern}" could not be expanded: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
        return;
    }
    let files = 0;
    for (const match of matches.sort()) {
        let real;
        try {
            real = (0,external_node_fs_.realpathSync)(match);
        }
        catch {
            continue;
        }
        if (!inside(roots.root, real)) {
            ctx.error(p, `"${pattern}" matches ${external_node_path_default().relative(roots.root, match)}, a symlink to ${real} outside the repository`);
            return;
        }
        const isDir = (0,external_node_fs_.statSync)(real).isDirectory();
        if (isDir && kind === 'file' && firstMagic < 0) {
            ctx.error(p, `"${pattern}" is a directory: name a file`);
            return;
        }
        if (isDir && kind === 'glob' && firstMagic < 0) {
            ctx.error(p, `"${pattern}" is a directory: name files or a glob like ${pattern.replace(/\/$/, '')}/*.yaml`);
            return;
        }
        if (!isDir || kind === 'any')
            files++;
    }
    if (files === 0) {
        ctx.warn(p, firstMagic >= 0 ? `"${pattern}" matches no file` : `"${pattern}" does not exist`);
    }
}
/** Where the deepest existing ancestor of `abs` really leads when that is outside `root`. */
function symlinkEscape(root, abs) {
    let probe = abs;
    for (;;) {
        try {
            const real = (0,external_node_fs_.realpathSync)(probe);
            return inside(root, real) ? undefined : real;
        }
        catch {
            const parent = external_node_path_default().dirname(probe);
            if (parent === probe)
                return undefined;
            probe = parent;
        }
    }
}

// EXTERNAL MODULE: ./src/report/model.ts
var model = __webpack_require__(6867);
// EXTERNAL MODULE: ./src/version.ts
var version = __webpack_require__(311);
;// CONCATENATED MODULE: ./src/engine.ts
/**
 * The engine under both the action and the CLI: load and lint the plan, run
 * the selected gates with their seams, and assemble the one RunReport every
 * renderer works from.
 */














/** A fresh run id for a CLI call: sortable, short, valid as a label value. */
function newRunId(now = new Date()) {
    const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
    return `cli-${stamp}-${randomBytes(3).toString('hex')}`;
}
/** Loads the plan and fails with every problem (exit 2) when it is invalid. */
async function loadValidPlan(settings) {
    const loaded = await (0,loader/* loadPlan */.Yq)(settings.planPath, { workspace: settings.workspace });
    const problems = lintPlan(loaded);
    const errors = (await problems).filter(p => p.severity === 'error');
    if (errors.length > 0)
        throw new core_errors/* UsageError */.eb(`${loaded.displayFile} has ${errors.length} problem${errors.length === 1 ? '' : 's'}`, errors.map(p => `${p.location.file}:${p.location.line}:${p.location.column}: ${p.path}: ${p.message}`));
    return loaded;
}
/** Gates that change the cluster: they run under the plan's Lease so two runs never interleave. */
const LOCKED_GATES = new Set([
    'tracer',
    'phase',
    'rollout',
    'rollback',
    'validate'
]);
/** Default bound on waiting for another run's lock. */
const DEFAULT_LOCK_WAIT_MS = 5 * 60_000;
/** The gates a selection runs, in order. */
function gateSequence(selection) {
    return selection === 'all' ? src_gates/* ALL_SEQUENCE */.w : [selection];
}
async function defaultConnect(s, loaded) {
    return (0,kube_client/* connectCluster */.bp)({
        kubeconfigPath: s.kubeconfig.kind === 'path' ? s.kubeconfig.path : undefined,
        context: s.context ?? loaded.plan.target.context
    });
}
/** Runs the selected gates and returns the report (it never throws for a gate's failure). */
async function runEngine(settings, deps) {
    const clock = deps.clock ?? core_clock/* systemClock */.m;
    const startedAt = clock.now();
    const loaded = await loadValidPlan(settings);
    const sequence = gateSequence(settings.gate);
    for (const g of sequence)
        if (!(0,src_gates.gateFor)(g) && settings.gate !== 'all')
            throw new core_errors/* UsageError */.eb(`gate "${g}" is not implemented yet; gates available now: ${src_gates/* ALL_SEQUENCE */.w.filter(n => (0,src_gates.gateFor)(n)).join(', ')}`);
    const namespace = settings.namespace ?? loaded.plan.target.namespace;
    let clusterPromise;
    const cluster = () => {
        clusterPromise ??= (deps.connect ?? defaultConnect)(settings, loaded);
        return clusterPromise;
    };
    let registry;
    const signal = deps.signal ?? new AbortController().signal;
    const earlier = [...(deps.earlier ?? [])];
    const gates = [];
    const ctx = {
        loaded,
        settings,
        runId: settings.runId,
        namespace,
        cluster,
        registry: () => {
            if (!deps.registry)
                throw new core_errors/* InfraError */.Ri('no registry client is configured');
            registry ??= deps.registry(settings, loaded, cluster, namespace);
            return registry;
        },
        metrics: () => {
            if (!deps.metrics)
                throw new core_errors/* UsageError */.eb('the plan names no Prometheus (rollout.metrics.prometheus or prometheus:)');
            return deps.metrics(loaded);
        },
        github: deps.github,
        exec: deps.exec ?? exec/* processExec */.l,
        clock,
        log: deps.log,
        signal,
        progress: e => deps.progress?.(e),
        earlier
    };
    const runSoFar = (done) => ({
        schemaVersion: model/* REPORT_SCHEMA_VERSION */.WI,
        tool: { name: 'phase-gate', version: version/* VERSION */.x },
        plan: loaded.plan.name,
        planFile: loaded.displayFile,
        runId: settings.runId,
        target: { context: settings.context ?? loaded.plan.target.context, namespace },
        startedAt: new Date(startedAt).toISOString(),
        finishedAt: new Date(clock.now()).toISOString(),
        verdict: (0,model/* combineVerdicts */.aG)(done.map(g => g.verdict)),
        gates: [...done]
    });
    // Taken before the first gate that changes the cluster and held to the end of the run,
    // so no other run of this plan slips in between this run's gates.
    let lock;
    const takeLock = async (name) => {
        if (lock || settings.dryRun || !LOCKED_GATES.has(name))
            return [];
        lock = await (0,kube_lock/* acquireLock */.IZ)({
            cluster: await cluster(),
            namespace,
            plan: loaded.plan.name,
            holder: settings.runId,
            waitMs: settings.lockWaitMs ?? (0,duration/* durationMs */.pc)(loaded.plan.lock?.wait, DEFAULT_LOCK_WAIT_MS),
            purpose: `${name}${settings.phase ? ` ${settings.phase}` : settings.tracer ? ` ${settings.tracer}` : ''}`,
            clock,
            log: deps.log,
            signal
        });
        return lock.waitedFor
            ? [
                `waited ${(0,duration/* formatDuration */.a3)(lock.waitedMs)} for run ${lock.waitedFor} to release ${lock.name}`
            ]
            : [];
    };
    let stop = false;
    try {
        for (const name of sequence) {
            const gate = (0,src_gates.gateFor)(name);
            if (!gate) {
                deps.log.info(`gate ${name} is not implemented yet; skipped`);
                continue;
            }
            if (stop && name !== 'record') {
                gates.push({
                    gate: name,
                    verdict: 'skip',
                    durationMs: 0,
                    startedAt: new Date(clock.now()).toISOString(),
                    checks: [],
                    notes: ['not run: an earlier gate did not pass']
                });
                continue;
            }
            const gateStarted = clock.now();
            let results;
            let lockNotes = [];
            // Every retry any client makes for this gate is counted into it (core/retry.ts).
            const run = await (0,retry/* countRetriesSettled */.$i)(async () => {
                if (signal.aborted)
                    throw new core_errors/* CancelledError */.cc();
                lockNotes = await takeLock(name);
                // The gates this run finished so far count as earlier reports (the record gate reads them).
                if (gates.length > 0)
                    ctx.earlier = [...earlier, runSoFar(gates)];
                return gate.run(ctx);
            });
            if (run.ok)
                results = run.value;
            else {
                // Hints name the context and server the run really used (the kubeconfig's, when the plan names none).
                const connected = await clusterPromise?.catch(() => undefined);
                const target = {
                    context: connected?.context ??
                        settings.context ??
                        loaded.plan.target.context ??
                        'the current context',
                    server: connected?.server ?? 'the API server'
                };
                results = [failedGate(name, gateStarted, clock.now(), run.error, ctx, target)];
            }
            if (results.length > 0) {
                const first = results[0];
                if (run.retries > 0) {
                    first.details = { ...first.details, retries: run.retries };
                    first.notes = [
                        ...(first.notes ?? []),
                        `${run.retries} request${run.retries === 1 ? ' was' : 's were'} retried (429, 5xx, reset, timeout or malformed answer) before this verdict`
                    ];
                }
                if (lockNotes.length)
                    first.notes = [...lockNotes, ...(first.notes ?? [])];
                const lost = lock?.lost;
                if (lost && LOCKED_GATES.has(name))
                    first.notes = [
                        ...(first.notes ?? []),
                        `the lock was lost during this gate (${lost}): another run may have changed the namespace meanwhile`
                    ];
            }
            gates.push(...results);
            if (!results.every(r => (0,model/* isPassing */.WG)(r.verdict)))
                stop = true;
            if (signal.aborted)
                stop = true;
        }
    }
    finally {
        await lock?.release();
    }
    if (clusterPromise)
        clusterPromise.then(c => c.close?.(), () => undefined);
    let server;
    let context = settings.context ?? loaded.plan.target.context;
    if (clusterPromise) {
        try {
            const c = await clusterPromise;
            server = c.server;
            context = c.context;
        }
        catch {
            // The failure is already in the gate's result.
        }
    }
    const report = {
        schemaVersion: model/* REPORT_SCHEMA_VERSION */.WI,
        tool: { name: 'phase-gate', version: version/* VERSION */.x },
        plan: loaded.plan.name,
        planFile: loaded.displayFile,
        runId: settings.runId,
        target: { context, namespace, server },
        startedAt: new Date(startedAt).toISOString(),
        finishedAt: new Date(clock.now()).toISOString(),
        verdict: signal.aborted ? 'cancelled' : (0,model/* combineVerdicts */.aG)(gates.map(g => g.verdict)),
        gates
    };
    return { report, loaded };
}
/** A gate that threw: cancelled, could not check (exit 3), or invalid input. */
function failedGate(name, started, now, err, ctx, target) {
    if (err instanceof core_errors/* UsageError */.eb)
        throw err;
    const cancelled = err instanceof core_errors/* CancelledError */.cc || ctx.signal.aborted;
    let infra = err instanceof core_errors/* InfraError */.Ri ? err : undefined;
    if (!infra && err instanceof types/* KubeApiError */.W3)
        infra = (0,kube_client/* asInfraError */.z$)(err, target);
    const message = cancelled ? `cancelled: ${(0,core_errors/* errorMessage */.gJ)(err)}` : (0,core_errors/* errorMessage */.gJ)(err);
    return {
        gate: name,
        verdict: cancelled ? 'cancelled' : 'error',
        durationMs: now - started,
        startedAt: new Date(started).toISOString(),
        checks: [
            {
                id: `gate:${name}`,
                kind: 'gate',
                target: name,
                verdict: cancelled ? 'cancelled' : 'error',
                severity: 'high',
                message: cancelled ? message : `could not run the ${name} gate: ${message}`,
                adjustment: infra?.hint,
                durationMs: now - started
            }
        ]
    };
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
// EXTERNAL MODULE: ./src/registry/reference.ts
var registry_reference = __webpack_require__(9310);
;// CONCATENATED MODULE: ./src/registry/credentials.ts
/**
 * Registry credentials from docker `config.json` files and Kubernetes pull
 * Secrets, matched to a registry host the way the kubelet matches them. Every
 * password and token is registered as a secret the moment it is read.
 */





const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
/** Parses docker `config.json` text (or the legacy `.dockercfg` map); `source` names it in errors. */
function parseDockerConfig(text, source) {
    let doc;
    try {
        doc = JSON.parse(text);
    }
    catch (err) {
        // The parser's message can quote the text, which holds credentials: keep
        // only its position, and do not attach the original error as the cause.
        // eslint-disable-next-line preserve-caught-error
        throw new Error(`${source} is not valid JSON (${redactJsonError((0,core_errors/* errorMessage */.gJ)(err))})`);
    }
    if (!isRecord(doc))
        throw new Error(`${source} is not a JSON object`);
    return dockerConfigFromObject(doc, source);
}
/** A DockerConfig from an already parsed config object. */
function dockerConfigFromObject(doc, source) {
    // `.dockercfg` is the bare map of hosts; config.json wraps it in `auths`.
    const legacy = !('auths' in doc) && !('credHelpers' in doc) && !('credsStore' in doc);
    const map = legacy ? doc : doc.auths;
    const auths = [];
    if (map !== undefined && !isRecord(map))
        throw new Error(`${source}: "auths" is not an object`);
    for (const [rawKey, value] of Object.entries(map ?? {})) {
        if (!isRecord(value))
            continue;
        const credential = credentialFrom(value, `${source}: ${rawKey}`);
        if (credential)
            auths.push({ key: normaliseKey(rawKey), credential });
    }
    const config = { source, auths };
    if (!legacy && isRecord(doc.credHelpers)) {
        config.credHelpers = {};
        for (const [k, v] of Object.entries(doc.credHelpers)) {
            if (typeof v === 'string')
                config.credHelpers[normaliseKey(k)] = v;
        }
    }
    if (!legacy && typeof doc.credsStore === 'string')
        config.credsStore = doc.credsStore;
    return config;
}
/** The docker config inside a `kubernetes.io/dockerconfigjson` or `kubernetes.io/dockercfg` Secret. */
function dockerConfigFromPullSecret(secret) {
    const name = `${secret.metadata.namespace ?? ''}/${secret.metadata.name}`.replace(/^\//, '');
    const source = `imagePullSecret ${name}`;
    const type = typeof secret.type === 'string' ? secret.type : 'Opaque';
    const key = type === 'kubernetes.io/dockerconfigjson'
        ? '.dockerconfigjson'
        : type === 'kubernetes.io/dockercfg'
            ? '.dockercfg'
            : undefined;
    if (!key) {
        throw new Error(`Secret ${name} is of type ${type}; the kubelet only uses kubernetes.io/dockerconfigjson and kubernetes.io/dockercfg Secrets as imagePullSecrets`);
    }
    const data = isRecord(secret.data) ? secret.data[key] : undefined;
    const stringData = isRecord(secret.stringData) ? secret.stringData[key] : undefined;
    let text;
    if (typeof data === 'string') {
        (0,secrets/* registerSecret */.cl)(data);
        text = Buffer.from(data, 'base64').toString('utf8');
    }
    else if (typeof stringData === 'string') {
        text = stringData;
    }
    else {
        throw new Error(`Secret ${name} has no "${key}" key`);
    }
    (0,secrets/* registerSecret */.cl)(text);
    return parseDockerConfig(text, source);
}
/**
 * The docker config the docker CLI would use: `$DOCKER_CONFIG/config.json`,
 * else `$HOME/.docker/config.json`; undefined when there is none.
 */
async function dockerConfigFromEnv(env = process.env) {
    const dir = env.DOCKER_CONFIG ?? (env.HOME ? (0,external_node_path_.join)(env.HOME, '.docker') : undefined);
    if (!dir)
        return undefined;
    const file = (0,external_node_path_.join)(dir, 'config.json');
    let text;
    try {
        text = await (0,promises_.readFile)(file, 'utf8');
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return undefined;
        throw new Error(`cannot read ${file}: ${(0,core_errors/* errorMessage */.gJ)(err)}`, { cause: err });
    }
    (0,secrets/* registerSecret */.cl)(text);
    return parseDockerConfig(text, env.DOCKER_CONFIG ? `DOCKER_CONFIG (${file})` : file);
}
/**
 * The credential for an image on `host` (with `repository` for keys that carry
 * a path), matched as the kubelet does: the host may be a `*.` glob per label,
 * the port must match, a key's path must prefix the repository, the most
 * specific key wins, and earlier configs win over later ones.
 */
function credentialsFor(host, configs, repository = '') {
    const target = splitKey(normaliseKey(host));
    for (const config of configs) {
        let best;
        for (const entry of config.auths) {
            const score = matchScore(splitKey(entry.key), target.host, repository);
            if (score !== undefined && (!best || score > best.score))
                best = { entry, score };
        }
        if (best)
            return { credential: best.entry.credential, source: config.source, key: best.entry.key };
    }
    return undefined;
}
/** The config key form of a host or URL: no scheme, no `/v1/`, Docker Hub's aliases as `docker.io`. */
function normaliseKey(raw) {
    let s = raw.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
    s = s.replace(/\/+$/, '').replace(/\/v[12]$/, '');
    const slash = s.indexOf('/');
    const host = (slash < 0 ? s : s.slice(0, slash)).toLowerCase();
    const path = slash < 0 ? '' : s.slice(slash);
    return (DOCKER_HUB_ALIASES.has(host) ? registry_reference/* DOCKER_HUB */.Xb : host) + path;
}
function splitKey(key) {
    const slash = key.indexOf('/');
    return slash < 0
        ? { host: key, path: '' }
        : { host: key.slice(0, slash), path: key.slice(slash + 1) };
}
// Higher is more specific; undefined when the key does not apply.
function matchScore(key, host, repository) {
    const [keyName, keyPort = ''] = splitPort(key.host);
    const [name, port = ''] = splitPort(host);
    if (keyPort !== port)
        return undefined;
    const keyLabels = keyName.split('.');
    const labels = name.split('.');
    if (keyLabels.length !== labels.length)
        return undefined;
    let wildcards = 0;
    for (let i = 0; i < labels.length; i++) {
        if (keyLabels[i] === labels[i])
            continue;
        if (!globMatch(keyLabels[i], labels[i]))
            return undefined;
        wildcards++;
    }
    if (key.path) {
        if (repository !== key.path && !repository.startsWith(`${key.path}/`))
            return undefined;
    }
    return key.path.length * 100 - wildcards;
}
function splitPort(host) {
    // `[::1]:5000` keeps its brackets; only a colon after them is a port.
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host);
    return m ? [m[1], m[2]] : [host];
}
function globMatch(pattern, text) {
    if (!pattern.includes('*'))
        return false;
    const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('[^.]*')}$`);
    return re.test(text);
}
function escapeRegExp(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
function credentialFrom(value, where) {
    const str = (k) => typeof value[k] === 'string' && value[k] !== '' ? value[k] : undefined;
    const cred = {};
    const auth = str('auth');
    if (auth) {
        (0,secrets/* registerSecret */.cl)(auth);
        const decoded = Buffer.from(auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon < 0)
            throw new Error(`${where}: "auth" is not base64 of user:password`);
        cred.username = decoded.slice(0, colon);
        cred.password = decoded.slice(colon + 1);
    }
    // Explicit fields win over `auth`, as in docker's config loader.
    if (str('username'))
        cred.username = str('username');
    if (str('password'))
        cred.password = str('password');
    if (str('identitytoken'))
        cred.identityToken = str('identitytoken');
    if (str('registrytoken'))
        cred.registryToken = str('registrytoken');
    (0,secrets/* registerSecret */.cl)(cred.password);
    (0,secrets/* registerSecret */.cl)(cred.identityToken);
    (0,secrets/* registerSecret */.cl)(cred.registryToken);
    if (!cred.password && !cred.identityToken && !cred.registryToken)
        return undefined;
    return cred;
}
function redactJsonError(message) {
    // Node's message looks like `Unexpected token x in JSON at position 12` or quotes the input.
    const pos = /position \d+/.exec(message);
    return pos ? `syntax error at ${pos[0]}` : 'syntax error';
}
function isRecord(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/**
 * The docker configs an image pull in `namespace` would use, most
 * authoritative first: the pods' and service accounts' imagePullSecrets (from
 * the plan's own objects when it creates them, else the cluster), then the
 * `registry-auth` input, then `$DOCKER_CONFIG`. A Secret that cannot be read
 * is a note, not an error: the kubelet goes on without it too.
 */
async function collectPullCredentials(src) {
    const notes = [];
    const configs = [];
    const planned = (kind, name) => src.planned?.find(o => o.kind === kind &&
        o.metadata.name === name &&
        (!o.metadata.namespace || o.metadata.namespace === src.namespace));
    const read = async (kind, name) => {
        const own = planned(kind, name);
        if (own)
            return own;
        if (!src.cluster)
            return undefined;
        return src.cluster.get({ apiVersion: 'v1', kind, name, namespace: src.namespace });
    };
    const secretNames = new Set(src.pullSecretNames ?? []);
    const accounts = new Set(src.serviceAccounts?.length ? src.serviceAccounts : ['default']);
    for (const sa of accounts) {
        try {
            const obj = await read('ServiceAccount', sa);
            if (!obj) {
                if (src.cluster)
                    notes.push(`service account ${src.namespace}/${sa} does not exist (yet)`);
                continue;
            }
            const refs = Array.isArray(obj.imagePullSecrets) ? obj.imagePullSecrets : [];
            for (const r of refs) {
                if (isRecord(r) && typeof r.name === 'string')
                    secretNames.add(r.name);
            }
        }
        catch (err) {
            notes.push(`could not read service account ${src.namespace}/${sa}: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
        }
    }
    for (const name of secretNames) {
        try {
            const secret = await read('Secret', name);
            if (!secret) {
                notes.push(`imagePullSecret ${src.namespace}/${name} does not exist; the kubelet pulls without it`);
                continue;
            }
            const named = secret.metadata.namespace
                ? secret
                : { ...secret, metadata: { ...secret.metadata, namespace: src.namespace } };
            configs.push(dockerConfigFromPullSecret(named));
        }
        catch (err) {
            notes.push(`could not use imagePullSecret ${src.namespace}/${name}: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
        }
    }
    if (src.registryAuth) {
        (0,secrets/* registerSecret */.cl)(src.registryAuth);
        configs.push(parseDockerConfig(src.registryAuth, 'registry-auth input'));
    }
    if (src.env?.DOCKER_CONFIG) {
        const fromEnv = await dockerConfigFromEnv({ DOCKER_CONFIG: src.env.DOCKER_CONFIG });
        if (fromEnv)
            configs.push(fromEnv);
    }
    return { configs, notes };
}

;// CONCATENATED MODULE: ./src/registry/client.ts
/**
 * The registry v2 client behind the `Registry` seam: fetches an image's
 * manifest as the container runtime would (mirrors, pull credentials, the
 * bearer-token dance), picks the platform, sums the compressed size, and
 * tells apart not found, unauthorized, rate-limited and unreachable.
 */











/** The manifest and config media types the client understands. */
const MEDIA_TYPES = {
    ociIndex: 'application/vnd.oci.image.index.v1+json',
    ociManifest: 'application/vnd.oci.image.manifest.v1+json',
    dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
    dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
    dockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
    dockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
    ociConfig: 'application/vnd.oci.image.config.v1+json',
    dockerConfig: 'application/vnd.docker.container.image.v1+json'
};
const MANIFEST_ACCEPT = [
    MEDIA_TYPES.ociIndex,
    MEDIA_TYPES.ociManifest,
    MEDIA_TYPES.dockerList,
    MEDIA_TYPES.dockerManifest
].join(', ');
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const DEFAULT_MAX_RETRY_AFTER_MS = 30_000;
const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** Creates the registry client. */
function createRegistryClient(opts) {
    return new RegistryClient(opts);
}
/** Parses a `WWW-Authenticate` header into its challenges (`Bearer realm="…",service="…"`). */
function parseAuthChallenges(header) {
    if (!header)
        return [];
    const out = [];
    // auth-param values may be quoted strings holding commas and escaped quotes.
    const re = /\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(?:\s+|$)|\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)\s*,?/gy;
    let current;
    let pos = 0;
    while (pos < header.length) {
        re.lastIndex = pos;
        const m = re.exec(header);
        if (!m || m[0] === '')
            break;
        pos = re.lastIndex;
        if (m[2] !== undefined && current) {
            const raw = m[3];
            const value = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
            current.params[m[2].toLowerCase()] = value;
        }
        else if (m[1] !== undefined) {
            current = { scheme: m[1].toLowerCase(), params: {} };
            out.push(current);
        }
        else {
            break;
        }
        while (header[pos] === ',' || header[pos] === ' ')
            pos++;
    }
    return out;
}
/** A definite outcome found mid-way (a token refused, a TLS failure), carried to `inspect`. */
class InspectionFailure extends Error {
    status;
    extra;
    constructor(status, message, extra = {}) {
        super(message);
        this.status = status;
        this.extra = extra;
        this.name = 'InspectionFailure';
    }
}
class RegistryClient {
    opts;
    fetchImpl;
    clock;
    timeoutMs;
    /** Authorization header values per `host|scope` (or `host|basic`), with the credential behind each. */
    tokens = new Map();
    insecure;
    configs;
    sources = [];
    constructor(opts) {
        this.opts = opts;
        this.clock = opts.clock ?? core_clock/* systemClock */.m;
        this.timeoutMs = opts.timeoutMs ?? 10_000;
        this.insecure = new Set((opts.insecure ?? []).map(h => h.toLowerCase()));
        if (opts.fetchImpl)
            this.fetchImpl = opts.fetchImpl;
        else if (opts.caFile)
            this.fetchImpl = caFetch(opts.caFile);
        else
            this.fetchImpl = defaultFetch;
    }
    async inspect(req) {
        const tally = { retries: 0, signal: req.signal };
        const host = this.opts.mirrors?.[req.ref.registry] ?? req.ref.registry;
        let configs;
        try {
            configs = await this.credentials();
        }
        catch (err) {
            return {
                host,
                status: 'error',
                retries: 0,
                message: (0,secrets/* redact */.E$)(`could not read the pull credentials: ${(0,core_errors/* errorMessage */.gJ)(err)}`)
            };
        }
        const target = this.target(req.ref, configs);
        const base = { host: target.host };
        try {
            const result = await this.inspectManifest(req, target, tally);
            const out = {
                ...base,
                ...result,
                retries: tally.retries,
                message: (0,secrets/* redact */.E$)(result.message)
            };
            if (tally.credentialUsed)
                out.credentialSource = tally.credentialUsed.source;
            return out;
        }
        catch (err) {
            if (req.signal?.aborted)
                throw req.signal.reason ?? err;
            tally.retries += (0,retry/* retriesOf */.Ko)(err);
            const cause = (0,retry/* unwrapRetryError */.gW)(err);
            const failure = cause instanceof InspectionFailure
                ? cause
                : (transportFailure(cause, target.host, this.timeoutMs) ??
                    new InspectionFailure('error', `asking ${target.host} failed: ${messageOf(cause)}`));
            return {
                ...base,
                ...failure.extra,
                status: failure.status,
                message: (0,secrets/* redact */.E$)(failure.message),
                retries: tally.retries
            };
        }
    }
    credentials() {
        const given = this.opts.credentials;
        this.configs ??= (typeof given === 'function' ? given() : Promise.resolve(given)).then(c => {
            this.sources = c.map(x => x.source);
            return c;
        });
        return this.configs;
    }
    target(ref, configs) {
        const mirror = this.opts.mirrors?.[ref.registry];
        const host = mirror ?? ref.registry;
        const apiHost = host === registry_reference/* DOCKER_HUB */.Xb ? 'registry-1.docker.io' : host;
        const scheme = this.plainHttp(host) ? 'http' : 'https';
        const t = {
            host,
            baseUrl: `${scheme}://${apiHost}`,
            repository: ref.repository,
            // A mirror gets the mirror's credentials only: the image registry's would leak to it.
            credential: credentialsFor(host, configs, ref.repository)
        };
        if (mirror)
            t.mirrorOf = ref.registry;
        return t;
    }
    plainHttp(host) {
        const h = host.toLowerCase();
        if (this.insecure.has(h))
            return true;
        const name = h.replace(/:\d+$/, '');
        return name === 'localhost' || name === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(name);
    }
    async inspectManifest(req, target, tally) {
        const reference = (0,registry_reference/* manifestReference */.Tn)(req.ref);
        const what = (0,registry_reference/* formatReference */.FH)(req.ref);
        // The image's name already holds its registry; a mirror is worth naming.
        const subject = target.mirrorOf
            ? `${what} on ${target.host} (mirror of ${target.mirrorOf})`
            : what;
        const ans = await this.get(tally, target, `/v2/${target.repository}/manifests/${reference}`, MANIFEST_ACCEPT);
        if (ans.status !== 200)
            return this.explainStatus(ans, req, target, tally);
        const doc = parseManifest(ans.body, `manifest of ${what}`, ans.headers);
        const mediaType = contentType(ans.headers) ?? doc.mediaType ?? guessMediaType(doc);
        const digest = ans.headers.get('docker-content-digest') ?? sha256(ans.body);
        const common = { digest, mediaType, statusCode: 200 };
        if (mediaType === MEDIA_TYPES.dockerSchema1 ||
            mediaType === MEDIA_TYPES.dockerSchema1Signed ||
            doc.schemaVersion === 1) {
            return {
                ...common,
                status: 'error',
                message: `${subject} has a Docker schema 1 manifest, which containerd 2 no longer pulls; rebuild and push it with a current builder`
            };
        }
        if (isIndex(mediaType, doc)) {
            const entries = (doc.manifests ?? []).filter(d => !isAttestation(d));
            const platforms = entries.map(d => platformOf(d.platform));
            let chosen;
            let why;
            if (req.platform) {
                chosen = entries.find(d => platformMatches(req.platform, d.platform));
                if (!chosen) {
                    return {
                        ...common,
                        status: 'platform-missing',
                        platforms,
                        message: `${subject} does not offer ${req.platform}; its index offers ${listOrNone(platforms)}`
                    };
                }
                why = `${platformOf(chosen.platform)}, as asked`;
            }
            else {
                chosen = entries.find(d => platformMatches('linux/amd64', d.platform)) ?? entries[0];
                if (!chosen) {
                    return {
                        ...common,
                        status: 'error',
                        platforms,
                        message: `${subject} is an index listing no images`
                    };
                }
                why = `${platformOf(chosen.platform)}, ${platformMatches('linux/amd64', chosen.platform) ? 'the default platform' : 'the first listed'}; no platform was asked`;
            }
            const child = await this.get(tally, target, `/v2/${target.repository}/manifests/${chosen.digest}`, MANIFEST_ACCEPT);
            if (child.status !== 200) {
                const explained = await this.explainStatus(child, req, target, tally);
                return {
                    ...explained,
                    ...common,
                    platforms,
                    status: explained.status === 'not-found' ? 'error' : explained.status,
                    message: `${subject}: the index lists ${platformOf(chosen.platform)} as ${chosen.digest} but fetching it failed: ${explained.message}`
                };
            }
            const childDoc = parseManifest(child.body, `manifest ${chosen.digest}`, child.headers);
            const size = compressedSize(childDoc);
            const sizePlatform = platformOf(chosen.platform);
            return {
                ...common,
                status: 'found',
                platforms,
                compressedSize: size,
                sizePlatform,
                message: `found ${subject}: an index of ${platforms.length} platform${platforms.length === 1 ? '' : 's'} (${listOrNone(platforms)}); ${formatMB(size)} compressed for ${why}`
            };
        }
        const size = compressedSize(doc);
        const found = { ...common, status: 'found', compressedSize: size };
        const config = await this.imagePlatform(tally, target, doc);
        if (config === undefined) {
            const note = req.platform
                ? `; its platform could not be read, so ${req.platform} is not verified`
                : '';
            return {
                ...found,
                message: `found ${subject}: a single image of ${formatMB(size)} compressed${note}`
            };
        }
        if (req.platform && !platformMatches(req.platform, config)) {
            return {
                ...common,
                status: 'platform-missing',
                platforms: [platformOf(config)],
                compressedSize: size,
                sizePlatform: platformOf(config),
                message: `${subject} is a single-platform image for ${platformOf(config)}, not ${req.platform}`
            };
        }
        return {
            ...found,
            platforms: [platformOf(config)],
            sizePlatform: platformOf(config),
            message: `found ${subject}: a single ${platformOf(config)} image of ${formatMB(size)} compressed`
        };
    }
    // Reads the image config blob for its os/architecture; undefined when it is
    // not an image config or cannot be read (the size stands either way).
    async imagePlatform(tally, target, doc) {
        const cfg = doc.config;
        if (!cfg?.digest)
            return undefined;
        if (cfg.mediaType &&
            cfg.mediaType !== MEDIA_TYPES.ociConfig &&
            cfg.mediaType !== MEDIA_TYPES.dockerConfig) {
            return undefined;
        }
        try {
            const ans = await this.get(tally, target, `/v2/${target.repository}/blobs/${cfg.digest}`, '*/*');
            if (ans.status !== 200)
                return undefined;
            const c = parseJson(ans.body, 'image config');
            if (!c.os || !c.architecture)
                return undefined;
            return { os: c.os, architecture: c.architecture, variant: c.variant };
        }
        catch (err) {
            tally.retries += (0,retry/* retriesOf */.Ko)(err);
            return undefined;
        }
    }
    async explainStatus(ans, req, target, tally) {
        const what = (0,registry_reference/* formatReference */.FH)(req.ref);
        const where = target.mirrorOf ? `${target.host} (mirror of ${target.mirrorOf})` : target.host;
        const statusCode = ans.status;
        const regErr = registryError(ans.body);
        const said = regErr ? ` (${regErr})` : '';
        const cred = target.credential;
        if (ans.status === 401 || ans.status === 403) {
            let message;
            if (ans.status === 403) {
                message = `${where} denied access to ${target.repository} (403${said})${cred ? ` with the credentials for ${cred.key} from ${cred.source}` : ''}`;
            }
            else if (!cred) {
                message = this.noCredentials(where, target);
            }
            else {
                message = `${where} did not accept the credentials for ${cred.key} from ${cred.source} for pulling ${target.repository} (401${said})`;
            }
            return { status: 'unauthorized', statusCode, message };
        }
        if (ans.status === 404) {
            // distribution answers MANIFEST_UNKNOWN for a missing repository too; the
            // tag list tells the two apart (and offers tags to suggest).
            const listed = regErr?.startsWith('NAME_UNKNOWN')
                ? { unknownRepo: true }
                : await this.listTags(tally, target);
            if (listed && 'unknownRepo' in listed) {
                return {
                    status: 'not-found',
                    statusCode,
                    message: `repository ${target.repository} does not exist on ${where}`
                };
            }
            const tags = listed?.tags;
            if (req.ref.digest) {
                return {
                    status: 'not-found',
                    statusCode,
                    message: `${what} was not found on ${where}: no manifest with digest ${req.ref.digest}${said}`
                };
            }
            return {
                status: 'not-found',
                statusCode,
                ...(tags ? { tags } : {}),
                message: `tag ${(0,registry_reference/* manifestReference */.Tn)(req.ref)} was not found in ${target.repository} on ${where}${said}${tags ? `; the repository has ${tags.length ? listSome(tags, 10) : 'no tags'}` : ''}`
            };
        }
        if (ans.status === 429) {
            const retryAfterMs = (0,retry/* parseRetryAfter */.mu)(ans.headers.get('retry-after'), this.clock.now());
            const retryAfter = retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000);
            const capMs = this.opts.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
            const gaveUp = retryAfterMs !== undefined && retryAfterMs > capMs
                ? `, longer than the ${Math.round(capMs / 1000)}s phase-gate waits, so it did not retry`
                : `; gave up after ${tally.retries} ${tally.retries === 1 ? 'retry' : 'retries'}`;
            return {
                status: 'rate-limited',
                statusCode,
                ...(retryAfter === undefined ? {} : { retryAfter }),
                message: `${where} is rate-limiting pulls (429${said})${retryAfter === undefined ? '' : ` and asks to wait ${retryAfter}s`}${gaveUp}`
            };
        }
        return {
            status: 'error',
            statusCode,
            message: `${where} answered ${ans.status}${said} for ${what}${RETRY_STATUSES.has(ans.status)
                ? ` after ${tally.retries} ${tally.retries === 1 ? 'retry' : 'retries'}`
                : ''}`
        };
    }
    noCredentials(where, target) {
        const looked = this.sources;
        let message = `${where} needs credentials to pull ${target.repository} and none were found for ${target.host}${looked.length
            ? ` (looked in ${looked.join(', ')})`
            : ' (no pull secrets or docker config were given)'}`;
        if (target.host === registry_reference/* DOCKER_HUB */.Xb) {
            message += '; Docker Hub also answers this way for a repository that does not exist';
        }
        return message;
    }
    async listTags(tally, target) {
        try {
            const ans = await this.get(tally, target, `/v2/${target.repository}/tags/list?n=100`, 'application/json');
            if (ans.status === 404 && registryError(ans.body)?.startsWith('NAME_UNKNOWN')) {
                return { unknownRepo: true };
            }
            if (ans.status !== 200)
                return undefined;
            const doc = parseJson(ans.body, 'tag list');
            return { tags: Array.isArray(doc.tags) ? doc.tags.filter(t => typeof t === 'string') : [] };
        }
        catch (err) {
            tally.retries += (0,retry/* retriesOf */.Ko)(err);
            return undefined;
        }
    }
    // One authorised GET: the cached authorisation first; on 401 the challenge
    // is answered once with fresh credentials (a cached token may have expired).
    async get(tally, target, path, accept) {
        const url = target.baseUrl + path;
        const scope = `repository:${target.repository}:pull`;
        const headers = { Accept: accept };
        const cached = this.cachedAuthorization(target.host, scope);
        if (cached) {
            headers.Authorization = await cached.token;
            if (cached.credential)
                tally.credentialUsed = cached.credential;
        }
        const first = await this.send(tally, url, headers);
        if (first.status !== 401)
            return first;
        const challenges = parseAuthChallenges(first.headers.get('www-authenticate'));
        const authorization = await this.answerChallenge(tally, target, challenges, scope);
        if (!authorization)
            return first;
        return this.send(tally, url, { ...headers, Authorization: authorization });
    }
    cachedAuthorization(host, scope) {
        for (const key of [`${host}|${scope}`, `${host}|basic`]) {
            const hit = this.tokens.get(key);
            if (hit && hit.expiresAt > this.clock.now())
                return hit;
        }
        return undefined;
    }
    async answerChallenge(tally, target, challenges, scope) {
        const found = target.credential;
        const cred = found?.credential;
        const bearer = challenges.find(c => c.scheme === 'bearer');
        if (bearer?.params.realm) {
            // The registry may name a wider or different scope than ours: ask for what it wants.
            const wanted = bearer.params.scope ?? scope;
            const key = `${target.host}|${wanted}`;
            const token = this.fetchToken(tally, target, bearer.params, wanted);
            // Share one token request among concurrent inspections of the same repository.
            const shared = token.then(t => `Bearer ${t.token}`);
            // Nobody may await the shared copy; its rejection is handled through `token` below.
            shared.catch(() => undefined);
            this.tokens.set(key, { token: shared, expiresAt: Infinity, credential: found });
            try {
                const t = await token;
                const authorization = `Bearer ${t.token}`;
                const entry = {
                    token: Promise.resolve(authorization),
                    expiresAt: t.expiresAt,
                    credential: found
                };
                this.tokens.set(key, entry);
                if (wanted !== scope)
                    this.tokens.set(`${target.host}|${scope}`, entry);
                if (found)
                    tally.credentialUsed = found;
                return authorization;
            }
            catch (err) {
                this.tokens.delete(key);
                throw err;
            }
        }
        if (challenges.some(c => c.scheme === 'basic')) {
            if (!cred?.username || !cred.password)
                return undefined;
            const authorization = `Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString('base64')}`;
            (0,secrets/* registerSecret */.cl)(authorization);
            this.tokens.set(`${target.host}|basic`, {
                token: Promise.resolve(authorization),
                expiresAt: Infinity,
                credential: found
            });
            tally.credentialUsed = found;
            return authorization;
        }
        return undefined;
    }
    async fetchToken(tally, target, params, scope) {
        const found = target.credential;
        const cred = found?.credential;
        // A registry token is the bearer token itself; no exchange needed.
        if (cred?.registryToken)
            return { token: cred.registryToken, expiresAt: Infinity };
        let realm;
        try {
            realm = new URL(params.realm);
        }
        catch {
            throw new InspectionFailure('error', `${target.host} named an invalid token server "${params.realm}"`);
        }
        const realmHost = realm.host;
        const headers = { Accept: 'application/json' };
        let ans;
        if (cred?.identityToken) {
            // docker's OAuth2 refresh-token flow for identity tokens.
            const form = new URLSearchParams({
                grant_type: 'refresh_token',
                refresh_token: cred.identityToken,
                client_id: 'phase-gate',
                scope
            });
            if (params.service)
                form.set('service', params.service);
            headers['Content-Type'] = 'application/x-www-form-urlencoded';
            ans = await this.send(tally, realm.toString(), headers, 'POST', form.toString());
        }
        else {
            if (params.service)
                realm.searchParams.set('service', params.service);
            realm.searchParams.set('scope', scope);
            if (cred?.username && cred.password) {
                const basic = Buffer.from(`${cred.username}:${cred.password}`).toString('base64');
                (0,secrets/* registerSecret */.cl)(basic);
                headers.Authorization = `Basic ${basic}`;
            }
            ans = await this.send(tally, realm.toString(), headers);
        }
        if (ans.status === 401 || ans.status === 403) {
            throw new InspectionFailure('unauthorized', found
                ? `the token server at ${realmHost} refused the credentials for ${found.key} from ${found.source} (${ans.status})`
                : `${this.noCredentials(target.mirrorOf ? `${target.host} (mirror of ${target.mirrorOf})` : target.host, target)} (its token server at ${realmHost} answered ${ans.status})`, { statusCode: ans.status });
        }
        if (ans.status === 429) {
            const retryAfterMs = (0,retry/* parseRetryAfter */.mu)(ans.headers.get('retry-after'), this.clock.now());
            throw new InspectionFailure('rate-limited', `the token server at ${realmHost} is rate-limiting (429)`, {
                statusCode: 429,
                ...(retryAfterMs === undefined ? {} : { retryAfter: Math.ceil(retryAfterMs / 1000) })
            });
        }
        if (ans.status !== 200) {
            throw new InspectionFailure('error', `the token server at ${realmHost} answered ${ans.status}`, {
                statusCode: ans.status
            });
        }
        const doc = parseJson(ans.body, 'token answer');
        const token = doc.token ?? doc.access_token;
        if (!token)
            throw new InspectionFailure('error', `the token server at ${realmHost} answered without a token`);
        (0,secrets/* registerSecret */.cl)(token);
        // Tokens last at least 60 s (distribution's default); renew a little early.
        const lifetime = Math.max(60, Number(doc.expires_in) || 60);
        return { token, expiresAt: this.clock.now() + (lifetime - 10) * 1000 };
    }
    // One request with retries on 429/5xx and transport errors; the whole body
    // is read inside the attempt so a response cut mid-way is retried too.
    async send(tally, url, headers, method = 'GET', body) {
        const host = new URL(url).host;
        const result = await (0,retry/* withRetry */.bD)(async () => {
            const signals = [AbortSignal.timeout(this.timeoutMs)];
            if (tally.signal)
                signals.push(tally.signal);
            const init = { method, headers, signal: AbortSignal.any(signals) };
            if (body !== undefined)
                init.body = body;
            const res = await this.fetchImpl(url, init);
            const len = Number(res.headers.get('content-length'));
            if (len > MAX_BODY_BYTES) {
                await res.body?.cancel();
                return { status: res.status, headers: res.headers, body: Buffer.alloc(0) };
            }
            const buf = Buffer.from(await res.arrayBuffer());
            return { status: res.status, headers: res.headers, body: buf };
        }, {
            maxRetries: this.opts.maxRetries ?? 3,
            baseDelayMs: this.opts.baseDelayMs ?? 250,
            maxDelayMs: 4000,
            maxRetryAfterMs: this.opts.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS,
            clock: this.clock,
            signal: tally.signal,
            retryResult: (a) => RETRY_STATUSES.has(a.status)
                ? {
                    reason: `${a.status} from ${host}`,
                    retryAfterMs: (0,retry/* parseRetryAfter */.mu)(a.headers.get('retry-after'), this.clock.now())
                }
                : undefined,
            retryError: err => {
                if (tally.signal?.aborted)
                    return undefined;
                const f = transportFailure(err, host, this.timeoutMs);
                return f && f.status === 'unreachable' ? { reason: f.message } : undefined;
            },
            onRetry: r => this.opts.logger?.debug(`registry: retry ${r.retry} of ${method} ${redactUrl(url)} in ${r.delayMs}ms: ${r.reason}`)
        });
        tally.retries += result.retries;
        this.opts.logger?.debug(`registry: ${method} ${redactUrl(url)} → ${result.value.status}`);
        return result.value;
    }
}
let viaNode;
// Node's fetch, except for the ports the fetch standard blocks (6000,
// 6665-6669, 10080 ...), where registries do run: those go over node:http(s).
const defaultFetch = async (url, init) => {
    try {
        return await fetch(url, { ...init, redirect: 'follow' });
    }
    catch (err) {
        if (!chain(err).some(e => e.message === 'bad port'))
            throw err;
        viaNode ??= nodeFetch();
        return viaNode(url, init);
    }
};
// A CA bundle that cannot be read fails each inspection with the reason
// instead of failing the client's creation (and with it every other gate).
function caFetch(file) {
    try {
        return nodeFetch((0,external_node_fs_.readFileSync)(file, 'utf8'));
    }
    catch (err) {
        const message = `cannot read the CA bundle ${file} (registries.caFile): ${messageOf(err)}`;
        return async () => {
            throw new InspectionFailure('error', message);
        };
    }
}
/** The size the runtime downloads: config plus every layer, compressed. */
function compressedSize(doc) {
    let total = Number(doc.config?.size) || 0;
    for (const l of doc.layers ?? [])
        total += Number(l.size) || 0;
    return total;
}
/** `os/arch[/variant]` of a descriptor's platform. */
function platformOf(p) {
    if (!p)
        return 'unknown';
    return [p.os ?? 'unknown', p.architecture ?? 'unknown', p.variant].filter(Boolean).join('/');
}
/** True when `have` satisfies the wanted `os/arch[/variant]` (arm64's v8 and arch aliases folded). */
function platformMatches(wanted, have) {
    if (!have)
        return false;
    const [os, arch, variant] = wanted.toLowerCase().split('/');
    const w = normalisePlatform(os, arch, variant);
    const h = normalisePlatform(have.os ?? '', have.architecture ?? '', have.variant);
    return w.os === h.os && w.arch === h.arch && (!w.variant || w.variant === h.variant);
}
function normalisePlatform(os, arch, variant) {
    const aliases = {
        x86_64: 'amd64',
        'x86-64': 'amd64',
        aarch64: 'arm64',
        i386: '386'
    };
    const a = aliases[arch.toLowerCase()] ?? arch.toLowerCase();
    let v = (variant ?? '').toLowerCase();
    if (a === 'arm64' && v === 'v8')
        v = '';
    return { os: os.toLowerCase(), arch: a, variant: v };
}
/** Megabytes (10^6 bytes), as registries and `docker images` show sizes; kilobytes below 1 MB. */
function formatMB(bytes) {
    if (bytes < 1e6)
        return `${(bytes / 1e3).toFixed(1)} kB`;
    const mb = bytes / 1e6;
    return `${mb < 10 ? mb.toFixed(2) : mb.toFixed(1)} MB`;
}
/** The reason a transport error happened, in words, or undefined for a non-transport error. */
function transportFailure(err, host, timeoutMs) {
    const links = chain(err);
    const names = links.map(e => e.name ?? '');
    const codes = links.map(e => (e.code === undefined ? '' : String(e.code)));
    const messages = links.map(e => e.message ?? '');
    const has = (...c) => codes.some(x => c.includes(x));
    const unreachable = (m) => new InspectionFailure('unreachable', m);
    if (names.includes('TimeoutError') ||
        has('ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT')) {
        return unreachable(`${host} did not answer within ${Math.round(timeoutMs / 100) / 10}s`);
    }
    if (has('ECONNREFUSED'))
        return unreachable(`could not connect to ${host}: connection refused (nothing listens there)`);
    if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME'))
        return unreachable(`could not resolve the host name of ${host} (DNS)`);
    if (has('EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'))
        return unreachable(`no network route to ${host}`);
    if (has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED') ||
        messages.some(m => /other side closed|socket hang up|terminated/i.test(m))) {
        return unreachable(`${host} closed the connection before answering in full`);
    }
    if (codes.some(c => /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|ERR_SSL/.test(c)) ||
        messages.some(m => /certificate|wrong version number/i.test(m))) {
        return new InspectionFailure('error', `TLS with ${host} failed (${codes.find(c => c) || messages[messages.length - 1]}); set registries.caFile to the CA bundle that signs it, or list it in registries.insecure if it serves plain HTTP`);
    }
    return undefined;
}
// The error, its causes and an AggregateError's members, duck-typed: fetch's
// errors come from another realm under jest's VM, where `instanceof Error` fails.
function chain(err, depth = 0) {
    if (typeof err !== 'object' || err === null || depth > 5)
        return [];
    const e = err;
    const out = [e];
    out.push(...chain(e.cause, depth + 1));
    if (Array.isArray(e.errors))
        for (const x of e.errors)
            out.push(...chain(x, depth + 1));
    return out;
}
function messageOf(err) {
    const m = chain(err)[0]?.message;
    return typeof m === 'string' && m ? m : (0,core_errors/* errorMessage */.gJ)(err);
}
function isIndex(mediaType, doc) {
    if (mediaType === MEDIA_TYPES.ociIndex || mediaType === MEDIA_TYPES.dockerList)
        return true;
    return Array.isArray(doc.manifests) && !Array.isArray(doc.layers);
}
function guessMediaType(doc) {
    if (Array.isArray(doc.manifests))
        return MEDIA_TYPES.ociIndex;
    if (Array.isArray(doc.layers))
        return MEDIA_TYPES.ociManifest;
    return undefined;
}
// buildx attaches provenance/SBOM "images" with platform unknown/unknown; no node pulls them.
function isAttestation(d) {
    return (d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' ||
        d.platform?.os === 'unknown');
}
function contentType(h) {
    const ct = h.get('content-type')?.split(';')[0].trim();
    return ct && ct !== 'application/json' && ct !== 'text/plain' ? ct : undefined;
}
function registryError(body) {
    try {
        const doc = JSON.parse(body.toString('utf8'));
        const e = doc.errors?.[0];
        if (!e?.code)
            return undefined;
        return e.message ? `${e.code}: ${e.message}` : e.code;
    }
    catch {
        return undefined;
    }
}
function parseJson(body, what) {
    try {
        return JSON.parse(body.toString('utf8'));
    }
    catch {
        throw new InspectionFailure('error', `the registry's ${what} is not valid JSON`);
    }
}
/**
 * A manifest or index, or an InspectionFailure when the answer only looks like
 * one: JSON without a schemaVersion and a config, layers or manifests (a proxy
 * or a misbehaving registry answering 200 with `{}` or an error page) must
 * never count as a found image.
 */
function parseManifest(body, what, headers) {
    const doc = parseJson(body, what);
    const m = doc && typeof doc === 'object' && !Array.isArray(doc)
        ? doc
        : undefined;
    const shaped = m !== undefined &&
        typeof m.schemaVersion === 'number' &&
        (m.schemaVersion === 1
            ? Array.isArray(m.fsLayers)
            : Array.isArray(m.manifests) || (typeof m.config === 'object' && m.config !== null));
    if (!shaped)
        throw new InspectionFailure('error', `the registry answered the ${what} with something that is not an image manifest (content-type ${headers.get('content-type') ?? 'none'}): ${body.toString('utf8').replace(/\s+/g, ' ').slice(0, 120)}; is a proxy in front of it?`);
    return m;
}
function sha256(body) {
    return `sha256:${(0,external_node_crypto_.createHash)('sha256').update(body).digest('hex')}`;
}
function listOrNone(items) {
    return items.length ? items.join(', ') : 'none';
}
function listSome(items, n) {
    return items.length <= n
        ? items.join(', ')
        : `${items.slice(0, n).join(', ')} and ${items.length - n} more`;
}
// Token URLs carry the scope and service only, but a realm could embed anything.
function redactUrl(url) {
    return (0,secrets/* redact */.E$)(url.replace(/\/\/[^@/]*@/, '//'));
}
/**
 * A `fetch` over node:http(s) that trusts the given CA bundle, for registries
 * signed by a private CA (node's global fetch takes no CA option, and undici
 * is not a dependency of ours). Follows redirects, dropping Authorization when
 * the origin changes, as fetch does.
 */
function nodeFetch(ca) {
    const agent = new (external_node_https_default()).Agent({ ...(ca ? { ca } : {}), keepAlive: true });
    const once = (url, init) => new Promise((resolve, reject) => {
        const mod = url.protocol === 'https:' ? (external_node_https_default()) : (external_node_http_default());
        const req = mod.request(url, {
            method: init.method,
            headers: init.headers,
            signal: init.signal,
            ...(url.protocol === 'https:' ? { agent } : {})
        });
        req.on('response', resolve);
        req.on('error', reject);
        req.end(init.body);
    });
    return async (rawUrl, init) => {
        let url = new URL(rawUrl);
        let current = init;
        for (let hop = 0;; hop++) {
            const res = await once(url, current);
            const status = res.statusCode ?? 0;
            const location = res.headers.location;
            if (status >= 300 && status < 400 && location && hop < 5) {
                res.resume();
                const next = new URL(location, url);
                const headers = { ...current.headers };
                if (next.origin !== url.origin)
                    delete headers.Authorization;
                const method = status === 303 ? 'GET' : current.method;
                current = { ...current, method, headers, ...(method === 'GET' ? { body: undefined } : {}) };
                url = next;
                continue;
            }
            const chunks = [];
            for await (const c of res)
                chunks.push(c);
            const headers = new Headers();
            for (const [k, v] of Object.entries(res.headers)) {
                if (v === undefined)
                    continue;
                for (const one of Array.isArray(v) ? v : [v])
                    headers.append(k, one);
            }
            const nullBody = status === 204 || status === 304 || init.method === 'HEAD';
            return new Response(nullBody ? null : Buffer.concat(chunks), { status, headers });
        }
    };
}
/**
 * The Registry the engine hands to gates (the shape of `EngineDeps.registry`):
 * the plan's mirrors, insecure hosts and CA bundle, and the credentials a pull
 * in the target namespace would use (the imagePullSecrets of the service
 * accounts the plan's pods run as and of the pods themselves), read at the
 * first inspection. A cluster that cannot be read costs the pull secrets, not the check.
 */
function createTargetRegistry(o) {
    const plan = o.loaded.plan.registries;
    const caFile = plan?.caFile ? (0,external_node_path_.resolve)(o.loaded.dir, plan.caFile) : undefined;
    return createRegistryClient({
        mirrors: { ...plan?.mirrors, ...o.settings.mirrors },
        insecure: plan?.insecure,
        caFile,
        logger: o.log,
        ...(o.fetchImpl ? { fetchImpl: o.fetchImpl } : {}),
        credentials: async () => {
            let cluster;
            const early = [];
            try {
                cluster = await o.cluster();
            }
            catch (err) {
                early.push(`could not read the namespace's pull secrets: ${messageOf(err)}`);
            }
            let sources = {};
            try {
                sources = (await o.pullSources?.()) ?? {};
            }
            catch (err) {
                early.push(`could not read the plan's pull secrets: ${messageOf(err)}`);
            }
            const { configs, notes } = await collectPullCredentials({
                cluster,
                namespace: o.namespace,
                serviceAccounts: sources.serviceAccounts,
                pullSecretNames: sources.pullSecretNames,
                planned: sources.planned,
                registryAuth: o.settings.registryAuth,
                env: o.env ?? process.env
            });
            early.push(...(sources.notes ?? []));
            for (const n of [...early, ...notes])
                o.log?.warn(`image check: ${n}`);
            return configs;
        }
    });
}

// EXTERNAL MODULE: ./src/plan/manifests.ts
var manifests = __webpack_require__(1553);
// EXTERNAL MODULE: ./src/checks/manifest-info.ts
var manifest_info = __webpack_require__(4505);
// EXTERNAL MODULE: ./src/checks/plan-objects.ts
var plan_objects = __webpack_require__(1731);
// EXTERNAL MODULE: ./src/checks/pod-templates.ts
var pod_templates = __webpack_require__(5568);
;// CONCATENATED MODULE: ./src/checks/pull-sources.ts
/**
 * Where the plan's pods would get their pull credentials: the ServiceAccounts they run as and the
 * imagePullSecrets they name, and the ServiceAccounts and Secrets the plan creates itself. The
 * image check's registry client reads these (the cluster's copies when the plan has none) so an
 * image is asked for with the credentials its pod will pull it with.
 */





/** The pull sources of objects bound for `namespace` (objects naming another namespace are not its pods). */
function pullSourcesOf(objects, namespace) {
    const accounts = new Set();
    const secrets = new Set();
    const planned = [];
    for (const obj of objects) {
        if (obj.metadata.namespace && obj.metadata.namespace !== namespace)
            continue;
        if (obj.apiVersion === 'v1' && (obj.kind === 'ServiceAccount' || obj.kind === 'Secret')) {
            planned.push(obj);
            continue;
        }
        const spec = (0,pod_templates/* podTemplateOf */.D0)(obj)?.spec;
        if (!spec)
            continue;
        // serviceAccount is the deprecated alias the apiserver still honours.
        const sa = spec.serviceAccountName ?? spec.serviceAccount;
        accounts.add(typeof sa === 'string' && sa !== '' ? sa : 'default');
        if (Array.isArray(spec.imagePullSecrets)) {
            for (const ref of spec.imagePullSecrets) {
                if ((0,manifest_info/* isRecord */.u4)(ref) && typeof ref.name === 'string' && ref.name !== '')
                    secrets.add(ref.name);
            }
        }
    }
    return {
        serviceAccounts: [...accounts],
        pullSecretNames: [...secrets],
        planned,
        notes: []
    };
}
/**
 * The pull sources of everything the plan applies (assumed manifests, tracers, phases). Images the
 * plan names without a manifest are pulled by pods running as `default`, so that account counts too.
 */
async function planPullSources(loaded, workspace, namespace) {
    const notes = [];
    const objects = [];
    const [assumed, units] = await Promise.all([
        (0,manifests/* loadAssumedManifests */.Jw)(loaded, workspace).catch((err) => {
            notes.push(`assumptions.manifests: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
            return [];
        }),
        (0,plan_objects/* loadPlanObjects */.OT)(loaded, workspace)
    ]);
    objects.push(...assumed.map(m => m.object));
    for (const unit of [...units.tracers, ...units.phases])
        objects.push(...unit.manifests.map(m => m.object));
    notes.push(...units.problems);
    const sources = pullSourcesOf(objects, namespace);
    const pods = sources.serviceAccounts.length > 0;
    if (!pods || (loaded.plan.assumptions?.images?.length ?? 0) > 0) {
        if (!sources.serviceAccounts.includes('default'))
            sources.serviceAccounts.push('default');
    }
    return { ...sources, notes };
}

// EXTERNAL MODULE: ./src/metrics/prometheus.ts
var prometheus = __webpack_require__(9881);
;// CONCATENATED MODULE: ./src/deps.ts
/** The real seams (cluster, registry, Prometheus) the engine runs with outside tests. */





/** Production wiring shared by the action and the CLI. */
function productionDeps(settings, log) {
    // One client per plan: the engine asks for it once per check or gate.
    const clients = new WeakMap();
    return {
        registry: (settings, loaded, cluster, namespace) => createTargetRegistry({
            settings,
            loaded,
            cluster,
            namespace,
            log,
            pullSources: () => planPullSources(loaded, settings.workspace, namespace)
        }),
        // The plan's Prometheus (rollout.metrics.prometheus, else prometheus:), else PHASE_GATE_PROMETHEUS.
        metrics: loaded => {
            const known = clients.get(loaded);
            if (known)
                return known;
            const spec = (0,prometheus/* planPrometheus */.iF)(loaded.plan) ?? process.env.PHASE_GATE_PROMETHEUS;
            if (!spec)
                throw new core_errors/* UsageError */.eb('the plan names no Prometheus (rollout.metrics.prometheus or prometheus:), and PHASE_GATE_PROMETHEUS is not set');
            let proxyCluster;
            const client = (0,prometheus/* createPrometheus */.hk)(spec, {
                baseDir: loaded.dir,
                log,
                // Only a serviceProxy setting connects; it uses the run's kubeconfig and context.
                cluster: () => (proxyCluster ??= (0,kube_client/* connectCluster */.bp)({
                    kubeconfigPath: settings.kubeconfig.kind === 'path' ? settings.kubeconfig.path : undefined,
                    context: settings.context ?? loaded.plan.target.context
                }))
            });
            clients.set(loaded, client);
            return client;
        }
    };
}

;// CONCATENATED MODULE: ./src/report/annotations.ts
/** Annotations on the plan file at the line of each failing or warning check. */
/** One annotation per failed, errored or warning check that knows its plan line (GitHub shows at most 10 per level per step, so problems come first). */
function collectAnnotations(report) {
    const out = [];
    for (const g of report.gates)
        for (const c of g.checks) {
            if (!c.location)
                continue;
            if (c.verdict !== 'fail' && c.verdict !== 'error' && c.verdict !== 'warn')
                continue;
            out.push({
                level: c.verdict === 'warn' ? 'warning' : 'error',
                title: `phase-gate ${g.gate}: ${c.kind} ${c.target}`.slice(0, 200),
                message: [c.message, c.adjustment ? `What to do: ${c.adjustment}` : '']
                    .filter(Boolean)
                    .join('\n'),
                file: c.location.file,
                line: c.location.line,
                column: c.location.column
            });
        }
    return out.sort((a, b) => (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1));
}

// EXTERNAL MODULE: ./src/report/format.ts
var format = __webpack_require__(2011);
;// CONCATENATED MODULE: ./src/report/summary.ts
/**
 * The job summary (Markdown, GitHub-flavoured, with a Mermaid flowchart):
 * the phases coloured by verdict, the table of checks, time against budget,
 * evidence folded into <details>. Kept under GitHub's 1 MiB step-summary
 * limit by folding details into the report when too long.
 */



/** GitHub's limit is 1 MiB per step summary; stay well below it. */
const SUMMARY_LIMIT_BYTES = 900 * 1024;
const PHASE_LETTER = {
    'reality-check': 'R',
    tracer: '0',
    plan: 'P',
    phase: 'I',
    validate: 'V',
    record: 'V',
    rollout: 'S',
    rollback: 'RB',
    soak: 'SK'
};
const MERMAID_CLASS = {
    pass: 'pass',
    warn: 'warn',
    fail: 'fail',
    error: 'fail',
    cancelled: 'fail',
    inconclusive: 'warn',
    skip: 'skip'
};
const VERDICTS = new Set(Object.keys(MERMAID_CLASS));
function isFlowNode(v) {
    if (typeof v !== 'object' || v === null)
        return false;
    const o = v;
    return (typeof o.gate === 'string' &&
        (o.name === undefined || typeof o.name === 'string') &&
        typeof o.verdict === 'string' &&
        VERDICTS.has(o.verdict));
}
/**
 * The nodes of the flowchart: each gate of this job, preceded by the gates of
 * the whole run that it read (`details.flow`, the record gate's): in a
 * workflow each job runs one gate, and only the record job knows them all.
 */
function flowNodes(gates) {
    const key = (n) => `${n.gate}/${n.name ?? ''}`;
    // A CLI run of every gate has them in this report already: draw each once, where it ran here.
    const own = new Set(gates.map(key));
    const nodes = new Map();
    for (const g of gates) {
        const earlier = Array.isArray(g.details?.flow) ? g.details.flow.filter(isFlowNode) : [];
        for (const n of earlier)
            if (!own.has(key(n)) && !nodes.has(key(n)))
                nodes.set(key(n), n);
        nodes.set(key(g), { gate: g.gate, name: g.name, verdict: g.verdict });
    }
    return [...nodes.values()];
}
/** A Mermaid flowchart of the gates (with the run's earlier ones the record read), each node coloured by its verdict. */
function renderFlowchart(gates) {
    const lines = ['```mermaid', 'flowchart LR'];
    flowNodes(gates).forEach((g, i) => {
        const label = `${PHASE_LETTER[g.gate] ?? ''} ${(0,format/* gateTitle */.KS)(g)}<br/>${g.verdict}`
            .trim()
            .replace(/"/g, "'");
        lines.push(`  g${i}["${label}"]:::${MERMAID_CLASS[g.verdict]}`);
        if (i > 0)
            lines.push(`  g${i - 1} --> g${i}`);
    });
    lines.push('  classDef pass fill:#1a7f37,stroke:#116329,color:#fff', '  classDef warn fill:#9a6700,stroke:#7d4e00,color:#fff', '  classDef fail fill:#cf222e,stroke:#a40e26,color:#fff', '  classDef skip fill:#6e7781,stroke:#57606a,color:#fff', '```');
    return lines.join('\n');
}
function checkRow(c) {
    return `| ${format/* VERDICT_ICON */.YY[c.verdict]} | ${(0,format/* cell */.Hn)(c.kind)} | ${(0,format/* cell */.Hn)(c.target)} | ${(0,format/* cell */.Hn)(c.message)} |`;
}
function checkDetails(c, planFile, withEvidence) {
    const parts = [
        `<details><summary>${format/* VERDICT_ICON */.YY[c.verdict]} <b>${escapeHtml(c.kind)}</b> ${escapeHtml(c.target)}: ${escapeHtml(c.message)}</summary>`,
        ''
    ];
    if (c.location)
        parts.push(`Declared at \`${c.location.file || planFile}:${c.location.line}\`${c.location.path ? ` (\`${c.location.path}\`)` : ''}.`, '');
    if (c.evidence && withEvidence)
        parts.push('```text', c.evidence.replace(/```/g, "'''"), '```', '');
    else if (c.evidence)
        parts.push("_Evidence folded into the JSON report to keep this summary under GitHub's size limit._", '');
    if (c.adjustment)
        parts.push(`**What to do:** ${c.adjustment}`, '');
    if (c.data && Object.keys(c.data).length > 0 && withEvidence)
        parts.push(`<sub>${escapeHtml(JSON.stringify(c.data)).slice(0, 2000)}</sub>`, '');
    parts.push('</details>');
    return parts.join('\n');
}
function escapeHtml(s) {
    return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
function gateSection(g, planFile, withEvidence, maxRows) {
    const counts = (0,model/* countVerdicts */.qX)(g.checks);
    const tally = Object.entries(counts)
        .filter(([, n]) => n > 0)
        .map(([v, n]) => `${n} ${v}`)
        .join(', ');
    const out = [
        `### ${format/* VERDICT_ICON */.YY[g.verdict]} ${(0,format/* gateTitle */.KS)(g)}: ${g.verdict}`,
        '',
        `${g.checks.length} check${g.checks.length === 1 ? '' : 's'}${tally ? ` (${tally})` : ''} · ${(0,format/* timeAgainstBudget */.G5)(g.durationMs, g.budgetMs)}`,
        ''
    ];
    for (const n of g.notes ?? [])
        out.push(`> ${n}`, '');
    if (g.checks.length > 0) {
        // Problems first, so the reader sees them without scrolling.
        const order = ['fail', 'error', 'cancelled', 'inconclusive', 'warn', 'pass', 'skip'];
        const sorted = [...g.checks].sort((a, b) => order.indexOf(a.verdict) - order.indexOf(b.verdict));
        out.push('| | Kind | Target | Result |', '| --- | --- | --- | --- |');
        for (const c of sorted.slice(0, maxRows))
            out.push(checkRow(c));
        if (sorted.length > maxRows)
            out.push(`| | | | …and ${sorted.length - maxRows} more in the JSON report |`);
        out.push('');
        for (const c of sorted
            .filter(c => c.verdict !== 'pass' && c.verdict !== 'skip')
            .slice(0, maxRows))
            out.push(checkDetails(c, planFile, withEvidence), '');
    }
    // Gates that render a document put it under their section: the plan for the
    // approver (src/report/plan-render.ts), the deployment record (src/report/record.ts).
    for (const doc of ['planMarkdown', 'recordMarkdown'])
        if (typeof g.details?.[doc] === 'string')
            out.push(g.details[doc], '');
    if (typeof g.details?.runbookMarkdown === 'string')
        out.push('<details><summary>📖 The runbook (phase-gate runbook)</summary>', '', g.details.runbookMarkdown, '', '</details>', '');
    return out.join('\n');
}
/** The job summary for a run. */
function renderSummary(report, opts = {}) {
    const render = (withEvidence, maxRows) => {
        const target = `${report.target.context ? `${report.target.context}/` : ''}${report.target.namespace}`;
        const head = [
            `## ${format/* VERDICT_ICON */.YY[report.verdict]} phase-gate: ${report.plan} → ${target}: ${report.verdict}`,
            '',
            `Plan \`${report.planFile}\` · run \`${report.runId}\` · phase-gate ${report.tool.version}`,
            ''
        ];
        const table = ['| Gate | Verdict | Checks | Time / budget |', '| --- | --- | --- | --- |'];
        for (const g of report.gates)
            table.push(`| ${(0,format/* cell */.Hn)((0,format/* gateTitle */.KS)(g))} | ${format/* VERDICT_ICON */.YY[g.verdict]} ${g.verdict} | ${g.checks.length} | ${(0,format/* timeAgainstBudget */.G5)(g.durationMs, g.budgetMs)} |`);
        const body = report.gates.map(g => gateSection(g, report.planFile, withEvidence, maxRows));
        const foot = opts.reportPath ? [`<sub>Full report: \`${opts.reportPath}\`</sub>`] : [];
        return ((0,secrets/* redact */.E$)([...head, renderFlowchart(report.gates), '', ...table, '', ...body, ...foot].join('\n')) + '\n');
    };
    let md = render(true, 200);
    if (Buffer.byteLength(md) > SUMMARY_LIMIT_BYTES)
        md = render(false, 200);
    if (Buffer.byteLength(md) > SUMMARY_LIMIT_BYTES)
        md = render(false, 25);
    return md;
}

;// CONCATENATED MODULE: ./src/settings.ts
/**
 * One typed settings object for a run. The action builds it from its inputs
 * (`action/inputs.ts`), the CLI from its flags (`cli/args.ts`).
 */

/** Registry mirrors from `PHASE_GATE_REGISTRY_MIRRORS` (`docker.io=127.0.0.1:5000,ghcr.io=mirror.local`). */
function mirrorsFromEnv(env) {
    const text = env.PHASE_GATE_REGISTRY_MIRRORS;
    if (!text?.trim())
        return undefined;
    const out = {};
    for (const pair of text.split(/[,\s]+/).filter(Boolean)) {
        const i = pair.indexOf('=');
        if (i <= 0 || i === pair.length - 1)
            throw new core_errors/* UsageError */.eb(`PHASE_GATE_REGISTRY_MIRRORS: "${pair}" is not of the form registry=mirror`);
        out[pair.slice(0, i)] = pair.slice(i + 1);
    }
    return out;
}

// EXTERNAL MODULE: ./src/action/names.ts
var names = __webpack_require__(2814);
;// CONCATENATED MODULE: ./src/action/inputs.ts
/** The one module that reads the action's inputs: returns a typed, validated Settings. */








const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
function optional(name) {
    const v = core/* getInput */.V4(name).trim();
    return v === '' ? undefined : v;
}
function bool(name, fallback) {
    const v = core/* getInput */.V4(name).trim().toLowerCase();
    if (v === '')
        return fallback;
    if (['true', 'yes', '1', 'on'].includes(v))
        return true;
    if (['false', 'no', '0', 'off'].includes(v))
        return false;
    throw new core_errors/* UsageError */.eb(`input "${name}" must be true or false, got "${v}"`);
}
/** Reads and validates every input; secrets are masked before anything else happens. */
function readInputs(env = process.env) {
    // Secrets first: masked before any log line could carry them.
    const kubeconfig = core/* getInput */.V4(names/* INPUT */.bO.kubeconfig);
    const token = optional(names/* INPUT */.bO.githubToken);
    const registryAuth = optional(names/* INPUT */.bO.registryAuth);
    for (const s of [kubeconfig, token, registryAuth])
        if (s)
            (0,secrets/* registerSecret */.cl)(s);
    const gate = optional(names/* INPUT */.bO.gate);
    if (!gate)
        throw new core_errors/* UsageError */.eb(`input "gate" is required: one of ${[...model/* GATE_NAMES */.rn, 'all'].join(', ')}`);
    if (gate !== 'all' && !model/* GATE_NAMES */.rn.includes(gate))
        throw new core_errors/* UsageError */.eb(`input "gate" is "${gate}"; expected one of ${[...model/* GATE_NAMES */.rn, 'all'].join(', ')}`);
    const workspace = (0,external_node_path_.resolve)(env.GITHUB_WORKSPACE ?? process.cwd());
    const plan = optional(names/* INPUT */.bO.plan) ?? 'phase-gate.yaml';
    const runId = optional(names/* INPUT */.bO.runId) ?? env.GITHUB_RUN_ID;
    if (!runId)
        throw new core_errors/* UsageError */.eb('no run id: set input "run-id" (GITHUB_RUN_ID is not set outside Actions)');
    if (!LABEL_VALUE.test(runId))
        throw new core_errors/* UsageError */.eb(`input "run-id" "${runId}" is not a valid label value`);
    const lockWait = optional(names/* INPUT */.bO.lockWait);
    const lockWaitMs = lockWait === undefined ? undefined : (0,duration/* parseDuration */.E9)(lockWait);
    if (lockWait !== undefined && lockWaitMs === undefined)
        throw new core_errors/* UsageError */.eb(`input "lock-wait" "${lockWait}" is not a duration like 30s or 5m`);
    const reports = optional(names/* INPUT */.bO.reports);
    return {
        gate: gate,
        planPath: (0,external_node_path_.resolve)(workspace, plan),
        phase: optional(names/* INPUT */.bO.phase),
        tracer: optional(names/* INPUT */.bO.tracer),
        stage: optional(names/* INPUT */.bO.stage),
        level: optional(names/* INPUT */.bO.level),
        runId,
        runIdGiven: true,
        kubeconfig: kubeconfig.trim() ? { kind: 'content', content: kubeconfig } : { kind: 'default' },
        context: optional(names/* INPUT */.bO.context),
        namespace: optional(names/* INPUT */.bO.namespace),
        dryRun: bool(names/* INPUT */.bO.dryRun, false),
        githubToken: token,
        comment: bool(names/* INPUT */.bO.comment, true),
        registryAuth,
        reportsDir: reports ? (0,external_node_path_.resolve)(workspace, reports) : undefined,
        workspace,
        lockWaitMs,
        mirrors: mirrorsFromEnv(env),
        approvalEnvironment: optional(names/* INPUT */.bO.approvalEnvironment),
        environment: optional(names/* INPUT */.bO.environment)
    };
}

// EXTERNAL MODULE: ./src/github/api-error.ts
var api_error = __webpack_require__(3660);
;// CONCATENATED MODULE: ./src/github/client.ts
/**
 * The one HTTP client for the GitHub REST API: bearer token, API version
 * header, `Link` pagination, retries with backoff on 5xx and rate limits, and
 * typed errors carrying the status. Everything else in src/github/ talks to
 * GitHub through the `GitHub` interface this implements.
 */





const GITHUB_API_VERSION = '2022-11-28';
const DEFAULT_API_URL = 'https://api.github.com';
const DEFAULT_SERVER_URL = 'https://github.com';
const PER_PAGE = 100;
// A runaway `Link` chain must not turn into an endless loop of requests.
const MAX_PAGES = 100;
/** The options `createGitHub` takes, read from the Actions environment variables. */
function gitHubOptionsFromEnv(env = process.env, token) {
    const repository = env.GITHUB_REPOSITORY;
    if (!repository)
        return undefined;
    return {
        token: token ?? env.GITHUB_TOKEN,
        apiUrl: env.GITHUB_API_URL,
        repository,
        eventPath: env.GITHUB_EVENT_PATH,
        sha: env.GITHUB_SHA,
        runId: env.GITHUB_RUN_ID,
        serverUrl: env.GITHUB_SERVER_URL
    };
}
/** A GitHub client for one repository and run. */
function createGitHub(opts) {
    return new GitHubClient(opts);
}
function readEvent(opts) {
    let payload = opts.event;
    if (payload === undefined && opts.eventPath) {
        try {
            payload = JSON.parse((0,external_node_fs_.readFileSync)(opts.eventPath, 'utf8'));
        }
        catch {
            // No readable event (a local CLI run): no pull request context.
            payload = undefined;
        }
    }
    const event = asRecord(payload);
    const pr = asRecord(event?.pull_request);
    const issue = asRecord(event?.issue);
    const number = typeof pr?.number === 'number' ? pr.number : issue?.number;
    const head = asRecord(pr?.head);
    return {
        pullNumber: typeof number === 'number' ? number : undefined,
        headSha: typeof head?.sha === 'string' ? head.sha : undefined
    };
}
function asRecord(v) {
    return v !== null && typeof v === 'object' ? v : undefined;
}
function trimSlash(url) {
    return url.replace(/\/+$/, '');
}
/** Parses an RFC 8288 `Link` header into rel → URL. */
function parseLinkHeader(header) {
    const links = {};
    if (!header)
        return links;
    for (const part of header.split(',')) {
        const m = /<([^>]*)>\s*;\s*(.*)/.exec(part.trim());
        if (!m)
            continue;
        const rel = /rel="?([^";]+)"?/.exec(m[2]);
        if (rel)
            for (const r of rel[1].split(/\s+/))
                links[r] = m[1];
    }
    return links;
}
/** The REST client; implements the `GitHub` seam. */
class GitHubClient {
    repo;
    pullNumber;
    sha;
    headSha;
    runUrl;
    serverUrl;
    hasToken;
    apiUrl;
    #token;
    #clock;
    #fetch;
    #retries;
    #retryBaseMs;
    #maxRetryWaitMs;
    #timeoutMs;
    constructor(opts) {
        const [owner, repo, extra] = opts.repository.split('/');
        if (!owner || !repo || extra !== undefined) {
            throw new Error(`repository must be "owner/repo", got "${opts.repository}"`);
        }
        this.repo = { owner, repo };
        this.#token = opts.token || undefined;
        (0,secrets/* registerSecret */.cl)(this.#token);
        this.hasToken = this.#token !== undefined;
        this.apiUrl = trimSlash(opts.apiUrl || process.env.GITHUB_API_URL || DEFAULT_API_URL);
        this.serverUrl = trimSlash(opts.serverUrl || DEFAULT_SERVER_URL);
        const event = readEvent(opts);
        this.pullNumber = opts.pullNumber ?? event.pullNumber;
        this.headSha = opts.headSha ?? event.headSha;
        this.sha = opts.sha;
        if (opts.runId)
            this.runUrl = `${this.serverUrl}/${owner}/${repo}/actions/runs/${opts.runId}`;
        this.#clock = opts.clock ?? core_clock/* systemClock */.m;
        this.#fetch = opts.fetch ?? fetch;
        this.#retries = opts.retries ?? 4;
        this.#retryBaseMs = opts.retryBaseMs ?? 500;
        this.#maxRetryWaitMs = opts.maxRetryWaitMs ?? 60_000;
        this.#timeoutMs = opts.timeoutMs ?? 30_000;
    }
    /** `/repos/{owner}/{repo}` followed by the path. */
    repoPath(path) {
        return `/repos/${encodeURIComponent(this.repo.owner)}/${encodeURIComponent(this.repo.repo)}${path}`;
    }
    /** One request, retried on 5xx, rate limits and network errors. */
    async request(method, pathOrUrl, opts = {}) {
        const url = this.#url(pathOrUrl, opts.query);
        const path = new URL(url).pathname;
        const headers = {
            accept: 'application/vnd.github+json',
            'x-github-api-version': GITHUB_API_VERSION,
            'user-agent': 'phase-gate'
        };
        if (this.#token)
            headers.authorization = `Bearer ${this.#token}`;
        if (opts.body !== undefined)
            headers['content-type'] = 'application/json';
        const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
        const attempts = this.#retries + 1;
        for (let attempt = 1;; attempt++) {
            let res;
            try {
                res = await this.#fetch(url, {
                    method,
                    headers,
                    body,
                    signal: AbortSignal.timeout(this.#timeoutMs)
                });
            }
            catch (err) {
                const message = (0,secrets/* redact */.E$)((0,core_errors/* errorMessage */.gJ)(err));
                if (attempt < attempts) {
                    await this.#clock.sleep(this.#backoff(attempt));
                    continue;
                }
                throw new api_error/* GitHubApiError */.O(0, method, path, `unreachable: ${message}`, undefined, attempt);
            }
            const text = await res.text();
            if (res.ok)
                return { status: res.status, data: parseBody(text), headers: res.headers };
            const { message, documentationUrl } = errorBody(text, res.statusText);
            const wait = this.#retryWait(res, message, attempt);
            if (wait !== undefined && attempt < attempts) {
                await this.#clock.sleep(wait);
                continue;
            }
            throw new api_error/* GitHubApiError */.O(res.status, method, path, message, documentationUrl, attempt);
        }
    }
    /** Every item of a paginated list, following `Link: rel="next"` within the API's origin. */
    async paginate(path, query = {}, pick = page => page) {
        const items = [];
        let next = this.#url(path, { per_page: PER_PAGE, ...query });
        let first;
        for (let page = 0; next && page < MAX_PAGES; page++) {
            const res = await this.request('GET', next);
            if (page === 0)
                first = res.data;
            items.push(...pick(res.data));
            next = parseLinkHeader(res.headers.get('link')).next;
            // The token goes only to the API it was issued for, whatever a Link header says.
            if (next && new URL(next).origin !== new URL(this.apiUrl).origin) {
                throw new api_error/* GitHubApiError */.O(0, 'GET', path, `pagination link leaves ${this.apiUrl}: not followed`);
            }
        }
        return { items, first };
    }
    #url(pathOrUrl, query) {
        const url = new URL(/^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${this.apiUrl}${pathOrUrl}`);
        for (const [k, v] of Object.entries(query ?? {})) {
            if (v !== undefined)
                url.searchParams.set(k, String(v));
        }
        return url.toString();
    }
    #backoff(attempt) {
        const base = Math.min(10_000, this.#retryBaseMs * 2 ** (attempt - 1));
        return Math.round(base * (0.5 + Math.random() / 2));
    }
    // How long to wait before retrying this response, or undefined when it must not be retried.
    #retryWait(res, message, attempt) {
        const retryAfter = parseRetryAfter(res.headers.get('retry-after'), this.#clock.now());
        const remaining = res.headers.get('x-ratelimit-remaining');
        const reset = Number(res.headers.get('x-ratelimit-reset'));
        let wait;
        if (res.status >= 500)
            wait = retryAfter ?? this.#backoff(attempt);
        else if (res.status === 429 || res.status === 403) {
            if (retryAfter !== undefined)
                wait = retryAfter;
            else if (remaining === '0' && Number.isFinite(reset) && reset > 0) {
                wait = Math.max(0, reset * 1000 - this.#clock.now()) + 1000;
            }
            else if (/secondary rate limit|abuse/i.test(message))
                wait = this.#backoff(attempt);
            else if (res.status === 429)
                wait = this.#backoff(attempt);
        }
        if (wait === undefined || wait > this.#maxRetryWaitMs)
            return undefined;
        return wait;
    }
    async listIssueComments(issue) {
        const { items } = await this.paginate(this.repoPath(`/issues/${issue}/comments`));
        return items;
    }
    async createIssueComment(issue, body) {
        const res = await this.request('POST', this.repoPath(`/issues/${issue}/comments`), {
            body: { body }
        });
        return res.data;
    }
    async updateIssueComment(commentId, body) {
        const res = await this.request('PATCH', this.repoPath(`/issues/comments/${commentId}`), { body: { body } });
        return res.data;
    }
    async deleteIssueComment(commentId) {
        try {
            await this.request('DELETE', this.repoPath(`/issues/comments/${commentId}`));
        }
        catch (err) {
            if (err instanceof api_error/* GitHubApiError */.O && err.status === 404)
                return;
            throw err;
        }
    }
    async getEnvironment(name) {
        try {
            const res = await this.request('GET', this.repoPath(`/environments/${encodeURIComponent(name)}`));
            return res.data;
        }
        catch (err) {
            if (err instanceof api_error/* GitHubApiError */.O && err.status === 404)
                return undefined;
            throw err;
        }
    }
    async getPullRequest(pullNumber) {
        return (await this.request('GET', this.repoPath(`/pulls/${pullNumber}`))).data;
    }
    async listReviews(pullNumber) {
        return (await this.paginate(this.repoPath(`/pulls/${pullNumber}/reviews`))).items;
    }
    async listCheckRuns(sha) {
        const { items } = await this.paginate(this.repoPath(`/commits/${encodeURIComponent(sha)}/check-runs`), { filter: 'latest' }, page => asRecord(page)?.check_runs ?? []);
        return items;
    }
    async getCombinedStatus(sha) {
        const { items, first } = await this.paginate(this.repoPath(`/commits/${encodeURIComponent(sha)}/status`), {}, page => asRecord(page)?.statuses ?? []);
        const head = asRecord(first);
        return {
            state: typeof head?.state === 'string' ? head.state : 'pending',
            sha: typeof head?.sha === 'string' ? head.sha : sha,
            total_count: typeof head?.total_count === 'number' ? head.total_count : items.length,
            statuses: items
        };
    }
    async getRequiredStatusChecks(branch) {
        const res = await this.request('GET', this.repoPath(`/branches/${encodeURIComponent(branch)}/protection/required_status_checks`));
        return res.data;
    }
    async listDeployments(filter) {
        return (await this.paginate(this.repoPath('/deployments'), filter)).items;
    }
    async createDeployment(input) {
        const res = await this.request('POST', this.repoPath('/deployments'), {
            body: input
        });
        // 202 means GitHub merged the default branch instead of deploying; auto_merge:false rules it out.
        if (res.status !== 201) {
            throw new api_error/* GitHubApiError */.O(res.status, 'POST', this.repoPath('/deployments'), 'deployment not created');
        }
        return res.data;
    }
    async listDeploymentStatuses(deploymentId) {
        return (await this.paginate(this.repoPath(`/deployments/${deploymentId}/statuses`))).items;
    }
    async createDeploymentStatus(deploymentId, input) {
        const res = await this.request('POST', this.repoPath(`/deployments/${deploymentId}/statuses`), { body: input });
        return res.data;
    }
}
function parseBody(text) {
    if (!text)
        return undefined;
    try {
        return JSON.parse(text);
    }
    catch {
        return text;
    }
}
function errorBody(text, statusText) {
    try {
        const body = asRecord(JSON.parse(text));
        const message = typeof body?.message === 'string' ? body.message : statusText;
        const documentationUrl = typeof body?.documentation_url === 'string' ? body.documentation_url : undefined;
        return { message: (0,secrets/* redact */.E$)(message), documentationUrl };
    }
    catch {
        return { message: (0,secrets/* redact */.E$)(text.slice(0, 200) || statusText) };
    }
}
/** Milliseconds a `retry-after` header asks to wait (seconds or an HTTP date). */
function parseRetryAfter(value, now) {
    if (value === null || value.trim() === '')
        return undefined;
    const s = value.trim();
    if (/^\d+(\.\d+)?$/.test(s))
        return Number(s) * 1000;
    const at = Date.parse(s);
    return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

;// CONCATENATED MODULE: ./src/report/comment.ts
/**
 * The sticky PR comment as a document: one comment per plan and target,
 * found by a hidden marker, holding one section per gate between hidden
 * start/end markers. This module renders and parses that document; the
 * read-merge-write protocol that keeps it whole under concurrency lives in
 * src/github/comment.ts.
 */



/** GitHub rejects comment bodies over 65536 characters. */
const GITHUB_COMMENT_LIMIT = 65_536;
// JS counts UTF-16 units, GitHub characters, so staying under the limit in JS
// units is safe; the margin covers the header and markers added after sizing.
const DEFAULT_COMMENT_MAX = 65_000;
const DEFAULT_SECTION_MAX = 30_000;
const DEFAULT_EVIDENCE_MAX = 3_000;
const FOLD_NOTE = 'full evidence in the report artifact';
const BADGE = {
    pass: '✅',
    warn: '⚠️',
    fail: '❌',
    skip: '⏭️',
    inconclusive: '⏸️',
    cancelled: '🚫',
    error: '❗'
};
/** The emoji and label a verdict shows with. */
function verdictBadge(v) {
    return `${BADGE[v]} ${v}`;
}
/** `<context>/<namespace>` for the comment key. */
function targetKey(target) {
    return typeof target === 'string' ? target : `${target.context ?? ''}/${target.namespace}`;
}
// Marker fields are percent-encoded so no user-chosen name can end the HTML
// comment (`-->`) or forge a field separator.
function encodeField(s, keepSlash = false) {
    const unsafe = keepSlash ? /[^A-Za-z0-9._:@+/-]/gu : /[^A-Za-z0-9._:@+-]/gu;
    return s.replace(unsafe, c => encodeURIComponent(c));
}
function decodeField(s) {
    try {
        return decodeURIComponent(s);
    }
    catch {
        return s;
    }
}
/** The hidden first line that identifies the comment of a plan and target. */
function commentMarker(plan, target) {
    const slash = target.indexOf('/');
    const context = slash < 0 ? '' : target.slice(0, slash);
    const namespace = slash < 0 ? target : target.slice(slash + 1);
    return `<!-- phase-gate:plan=${encodeField(plan)};target=${encodeField(context)}/${encodeField(namespace)} -->`;
}
const KEY_RE = /^<!-- phase-gate:plan=([^;\s]*);target=([^/\s]*)\/(\S*) -->/;
const START_RE = /<!-- phase-gate:section=([^;\s]+)((?:;[a-z]+=[^;\s]*)*) -->/g;
const PREFIX = '<!-- phase-gate:';
/** Section id for a gate result: the gate, plus the phase/stage/level it ran for. */
function sectionIdFor(result) {
    return result.name ? `${result.gate}:${result.name}` : result.gate;
}
/**
 * Sort key of a section: the plan's gate order (reality-check, tracer, plan,
 * phase:*, validate, record, rollout:*, rollback:*, soak), then `index` (the
 * phase's or stage's position in the plan) within a gate.
 */
function sectionOrder(id, index = 0) {
    const gate = id.split(':')[0];
    const rank = model/* GATE_NAMES */.rn.indexOf(gate);
    return (rank < 0 ? model/* GATE_NAMES */.rn.length : rank) * 1000 + Math.max(0, Math.min(999, index));
}
/** Web link to a file at a commit, for `#Lnn` anchors. */
function blobUrl(serverUrl, repo, sha, path) {
    const clean = path
        .replace(/^\.?\//, '')
        .split('/')
        .map(encodeURIComponent)
        .join('/');
    return `${serverUrl.replace(/\/+$/, '')}/${repo.owner}/${repo.repo}/blob/${sha}/${clean}`;
}
function comment_escapeHtml(s) {
    return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
// Text from the cluster goes into Markdown: it must not open HTML, forge our
// markers or ping people (`@team`).
function escapeText(s) {
    return comment_escapeHtml(s).replace(/(^|\s)@(\w)/g, '$1@\u200b$2');
}
function escapeCell(s) {
    return escapeText(s).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
function codeSpan(s) {
    const runs = s.match(/`+/g) ?? [];
    const fence = '`'.repeat(Math.max(0, ...runs.map(r => r.length)) + 1);
    const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
    return `${fence}${pad}${s.replace(/\r?\n/g, ' ')}${pad}${fence}`;
}
function codeBlock(text) {
    const runs = text.match(/`{3,}/g) ?? [];
    const fence = '`'.repeat(Math.max(3, ...runs.map(r => r.length + 1)));
    return `${fence}text\n${text.replace(/\n+$/, '')}\n${fence}`;
}
/** The evidence, folded in the middle when longer than `max` (the end of a log matters most). */
function foldEvidence(evidence, max) {
    if (evidence.length <= max)
        return evidence;
    if (max <= 0)
        return `… ${evidence.length} characters folded: ${FOLD_NOTE} …`;
    const head = Math.floor(max / 3);
    const tail = max - head;
    const start = evidence.slice(0, head);
    const end = evidence.slice(evidence.length - tail);
    const folded = evidence.length - head - tail;
    return `${start}\n… ${folded} characters folded: ${FOLD_NOTE} …\n${end}`;
}
function gateLabel(r) {
    return r.name ? `${codeSpan(r.gate)} ${escapeCell(r.name)}` : codeSpan(r.gate);
}
function checkCounts(checks) {
    if (checks.length === 0)
        return '—';
    const counts = (0,model/* countVerdicts */.qX)(checks);
    const order = ['fail', 'error', 'cancelled', 'inconclusive', 'warn', 'pass', 'skip'];
    return order
        .filter(v => counts[v] > 0)
        .map(v => `${counts[v]} ${BADGE[v]}`)
        .join(' · ');
}
function timeCell(r) {
    const used = (0,duration/* formatDuration */.a3)(r.durationMs);
    if (r.budgetMs === undefined)
        return used;
    const over = r.durationMs > r.budgetMs ? ' ⏰ over budget' : '';
    return `${used} / ${(0,duration/* formatDuration */.a3)(r.budgetMs)}${over}`;
}
function locationLink(c, opts) {
    const loc = c.location;
    if (!loc)
        return undefined;
    const file = opts.planFile ?? loc.file;
    const label = `${file}:${loc.line}${loc.path ? ` (${loc.path})` : ''}`;
    return opts.planUrl ? `[${escapeText(label)}](${opts.planUrl}#L${loc.line})` : codeSpan(label);
}
function comment_checkDetails(c, opts, evidenceMax) {
    const summary = `${BADGE[c.verdict]} <code>${comment_escapeHtml(c.id)}</code> — ${escapeText(firstLine(c.message))}`;
    const parts = [`<details><summary>${summary}</summary>`, ''];
    parts.push(escapeText(c.message), '');
    if (c.evidence)
        parts.push('**Evidence**', '', codeBlock(foldEvidence(c.evidence, evidenceMax)), '');
    if (c.adjustment)
        parts.push(`**What to do:** ${escapeText(c.adjustment)}`, '');
    const where = locationLink(c, opts);
    if (where)
        parts.push(`**Declared at:** ${where}`, '');
    parts.push('</details>');
    return parts.join('\n');
}
function firstLine(s) {
    const line = s.split('\n')[0];
    return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}
/**
 * One gate's section: a row per gate result (verdict, checks, time against
 * budget) and a collapsible `<details>` per failed or errored check with its
 * message, evidence, adjustment and plan line. Bounded by `maxChars`.
 */
function renderCommentSection(results, opts = {}) {
    const max = opts.maxChars ?? DEFAULT_SECTION_MAX;
    const first = opts.maxEvidenceChars ?? DEFAULT_EVIDENCE_MAX;
    // Fold evidence harder, then list fewer checks, until the section fits.
    const evidenceSteps = [first, Math.min(first, 1000), Math.min(first, 300), 0];
    for (const evidenceMax of evidenceSteps) {
        const text = (0,secrets/* redact */.E$)(renderSectionOnce(results, opts, evidenceMax, Infinity, true));
        if (text.length <= max)
            return text;
    }
    for (let shown = 20; shown >= 0; shown = shown > 0 ? Math.floor(shown / 2) : -1) {
        const text = (0,secrets/* redact */.E$)(renderSectionOnce(results, opts, 0, shown, false));
        if (text.length <= max)
            return text;
    }
    return truncateMarkdown((0,secrets/* redact */.E$)(renderSectionOnce(results, opts, 0, 0, false)), max);
}
function renderSectionOnce(results, opts, evidenceMax, maxDetails, 
/** Warnings and notes too; dropped when the section must shrink. */
extras) {
    const lines = ['| Gate | Verdict | Checks | Time |', '| --- | --- | --- | --- |'];
    for (const r of results) {
        lines.push(`| ${gateLabel(r)} | ${verdictBadge(r.verdict)} | ${checkCounts(r.checks)} | ${timeCell(r)} |`);
    }
    const failed = results.flatMap(r => r.checks.filter(c => c.verdict === 'fail' || c.verdict === 'error'));
    const warned = results.flatMap(r => r.checks.filter(c => c.verdict === 'warn'));
    const notes = results.flatMap(r => (r.notes ?? []).map(n => `${sectionIdFor(r)}: ${n}`));
    const out = [lines.join('\n')];
    if (failed.length > 0) {
        const shown = failed.slice(0, maxDetails);
        out.push(shown.map(c => comment_checkDetails(c, opts, evidenceMax)).join('\n'));
        if (shown.length < failed.length) {
            out.push(`_… and ${failed.length - shown.length} more failed checks: ${FOLD_NOTE}._`);
        }
    }
    if (warned.length > 0 && extras) {
        const items = warned.map(c => `- ${codeSpan(c.id)}: ${escapeText(firstLine(c.message))}`);
        out.push(`<details><summary>${BADGE.warn} ${warned.length} warning${warned.length === 1 ? '' : 's'}</summary>\n\n${items.join('\n')}\n\n</details>`);
    }
    if (notes.length > 0 && extras) {
        out.push(notes.map(n => `- ${escapeText(n)}`).join('\n'));
    }
    // The plan gate's rendering (already escaped by src/report/plan-render.ts), folded: reviewers open it.
    for (const r of results)
        if (extras && typeof r.details?.planMarkdown === 'string')
            out.push(`<details><summary>📋 The plan to approve</summary>\n\n${r.details.planMarkdown.trim()}\n\n</details>`);
    if (opts.runUrl)
        out.push(`<sub>[workflow run](${opts.runUrl})</sub>`);
    return out.join('\n\n');
}
/**
 * Cuts Markdown to `max` characters at a line end, closing an open code
 * fence and open `<details>` so the rest of the comment still renders.
 */
function truncateMarkdown(text, max) {
    if (text.length <= max)
        return text;
    const note = `_… cut to fit GitHub's comment size limit: ${FOLD_NOTE}._`;
    if (max <= note.length + 2)
        return note.slice(0, Math.max(0, max));
    // Room for the note and the closers appended below.
    let keep = text.slice(0, Math.max(0, max - note.length - 64));
    const nl = keep.lastIndexOf('\n');
    if (nl > 0)
        keep = keep.slice(0, nl);
    let fence;
    for (const line of keep.split('\n')) {
        const m = /^(`{3,})/.exec(line);
        if (!m)
            continue;
        if (fence === undefined)
            fence = m[1];
        else if (m[1].length >= fence.length && line.trim() === m[1])
            fence = undefined;
    }
    const opened = (keep.match(/<details>/g) ?? []).length;
    const closed = (keep.match(/<\/details>/g) ?? []).length;
    const closers = [];
    if (fence !== undefined)
        closers.push(fence);
    closers.push(...Array(Math.max(0, opened - closed)).fill('</details>'));
    let out = `${keep}\n${closers.length ? `${closers.join('\n')}\n` : ''}\n${note}`;
    // A pathological number of open <details> could still overflow: then the note alone stands.
    if (out.length > max)
        out = note;
    return out;
}
function stampField(s) {
    return `at=${Math.trunc(s.at)};seq=${Math.trunc(s.seq)};w=${encodeField(s.writer)}`;
}
function startMarker(s) {
    const verdict = s.verdict ? `;verdict=${s.verdict}` : '';
    return `<!-- phase-gate:section=${encodeField(s.id, true)};order=${Math.trunc(s.order)}${verdict};${stampField(s.stamp)} -->`;
}
function endMarker(id) {
    return `<!-- phase-gate:end=${encodeField(id, true)} -->`;
}
// A section body must never contain something that parses as one of our markers.
function neutralise(body) {
    return body.split(PREFIX).join('&lt;!-- phase-gate:');
}
/** Sections sorted by order; equal orders keep their given order (a stable sort). */
function orderSections(sections) {
    return sections
        .map((s, i) => ({ s, i }))
        .sort((a, b) => a.s.order - b.s.order || a.i - b.i)
        .map(x => x.s);
}
/**
 * The whole comment: the marker, a header with the overall verdict and one
 * badge per section, then the sections in the plan's gate order. Longer than
 * `maxChars` (default 65000, under GitHub's 65536) → the largest sections are
 * cut to a fair share of the room.
 */
function renderComment(header, sections, opts = {}) {
    const max = Math.min(opts.maxChars ?? DEFAULT_COMMENT_MAX, GITHUB_COMMENT_LIMIT);
    const ordered = orderSections(sections).map(s => ({ ...s, body: neutralise((0,secrets/* redact */.E$)(s.body)) }));
    const verdicts = ordered.flatMap(s => (s.verdict ? [s.verdict] : []));
    const overall = verdicts.length ? (0,model/* combineVerdicts */.aG)(verdicts) : undefined;
    const title = `## ${overall ? `${BADGE[overall]} ` : ''}phase-gate: ${codeSpan(header.plan)} → ${codeSpan(header.target)}`;
    const chips = ordered
        .map(s => `${s.verdict ? `${BADGE[s.verdict]} ` : ''}${codeSpan(s.id)}`)
        .join(' · ');
    const lead = overall ? `**${overall}**${chips ? ` — ${chips}` : ''}` : chips;
    const head = [commentMarker(header.plan, header.target), title, lead].filter(Boolean).join('\n');
    const footer = '<sub>One comment per plan and target, updated in place: each gate rewrites its own section.</sub>';
    const frame = (s, body) => 
    // Blank lines keep each body its own Markdown block, whatever it ends with.
    `${startMarker(s)}\n\n${body}\n\n${endMarker(s.id)}`;
    const assemble = (bodies) => [head, ...ordered.map((s, i) => frame(s, bodies[i])), footer].join('\n\n');
    let bodies = ordered.map(s => s.body);
    const full = assemble(bodies);
    if (full.length <= max)
        return full;
    // Water-filling: sections under the fair share keep their text, the rest share what is left.
    const overhead = assemble(ordered.map(() => '')).length;
    let room = Math.max(0, max - overhead);
    const byLength = ordered.map((s, i) => i).sort((a, b) => bodies[a].length - bodies[b].length);
    const limits = new Array(ordered.length).fill(0);
    byLength.forEach((idx, k) => {
        const share = Math.floor(room / (byLength.length - k));
        limits[idx] = Math.min(bodies[idx].length, share);
        room -= limits[idx];
    });
    bodies = bodies.map((b, i) => truncateMarkdown(b, limits[i]));
    const out = assemble(bodies);
    return out.length <= max ? out : out.slice(0, max);
}
function parseAttrs(raw) {
    const attrs = {};
    for (const part of raw.split(';')) {
        const eq = part.indexOf('=');
        if (eq > 0)
            attrs[part.slice(0, eq)] = part.slice(eq + 1);
    }
    return attrs;
}
const comment_VERDICTS = new Set([
    'pass',
    'warn',
    'fail',
    'skip',
    'inconclusive',
    'cancelled',
    'error'
]);
/** The key and sections of a comment body written by `renderComment` (anything else: no key, no sections). */
function parseComment(body) {
    const key = KEY_RE.exec(body.trimStart());
    const parsed = {
        key: key
            ? {
                plan: decodeField(key[1]),
                target: `${decodeField(key[2])}/${decodeField(key[3])}`
            }
            : undefined,
        sections: []
    };
    const starts = [...body.matchAll(START_RE)];
    const seen = new Set();
    starts.forEach((m, i) => {
        const id = decodeField(m[1]);
        const attrs = parseAttrs(m[2]);
        const from = (m.index ?? 0) + m[0].length;
        const nextStart = i + 1 < starts.length ? (starts[i + 1].index ?? body.length) : body.length;
        const end = body.indexOf(endMarker(id), from);
        const to = end >= 0 && end < nextStart ? end : nextStart;
        // A section that appears twice (a hand edit) counts once: the first.
        if (seen.has(id))
            return;
        seen.add(id);
        const verdict = attrs.verdict && comment_VERDICTS.has(attrs.verdict) ? attrs.verdict : undefined;
        parsed.sections.push({
            id,
            order: Number.isFinite(Number(attrs.order)) ? Number(attrs.order) : sectionOrder(id),
            verdict,
            body: body
                .slice(from, to)
                .replace(/^\n{1,2}/, '')
                .replace(/\n{1,2}$/, ''),
            stamp: {
                at: Number(attrs.at) || 0,
                seq: Number(attrs.seq) || 0,
                writer: decodeField(attrs.w ?? '')
            }
        });
    });
    return parsed;
}
/** -1, 0 or 1: which of two writes of a section is newer. */
function compareStamps(a, b) {
    if (a.at !== b.at)
        return a.at < b.at ? -1 : 1;
    if (a.seq !== b.seq)
        return a.seq < b.seq ? -1 : 1;
    return a.writer < b.writer ? -1 : a.writer > b.writer ? 1 : 0;
}

;// CONCATENATED MODULE: ./src/github/comment.ts
/**
 * The sticky PR comment's write protocol. GitHub has no ETag/If-Match for
 * issue comments, so a writer reads, merges its own section into what it
 * read, writes, waits long enough for any writer that read before it to have
 * written too, then re-reads to verify its section is there at its content;
 * when another writer clobbered it, it retries with jitter. When two writers
 * both created a comment, the lowest id wins: everything is merged into it and
 * the duplicates are deleted once the oldest holds all they held.
 *
 * Never throws: without a token, on a fork PR's read-only token or when the
 * API fails, the result says why and the gate's verdict stands.
 */







// Orders writes begun in the same millisecond by this process.
let sequence = 0;
const TRUSTED_ASSOCIATIONS = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);
/**
 * Default trust: a comment by a bot (the Actions token posts as
 * `github-actions[bot]`) or by someone with write access. A PR author cannot
 * plant a marker comment of their own and have gates merge into it.
 */
function trustedCommentAuthor(comment) {
    if (comment.user?.type === 'Bot')
        return true;
    return TRUSTED_ASSOCIATIONS.has(comment.author_association ?? '');
}
/** Writes one section of the plan's and target's sticky comment (see the module comment). */
async function upsertSection(gh, opts) {
    const { section, body, verdict, order, ...rest } = opts;
    return upsertSections(gh, { ...rest, sections: [{ id: section, body, verdict, order }] });
}
/** Writes several sections of the sticky comment in one read-merge-write cycle. */
async function upsertSections(gh, opts) {
    const result = await upsert(gh, opts);
    if (!result.ok)
        opts.log?.warn(`PR comment not updated: ${result.reason}`);
    return result;
}
/**
 * Renders gate results (one section per gate, phase, stage or level) and
 * writes them into the sticky comment in one cycle.
 */
async function commentGateResults(gh, opts) {
    const { results, render, indexOf, ...rest } = opts;
    const groups = new Map();
    for (const r of results) {
        const id = sectionIdFor(r);
        groups.set(id, [...(groups.get(id) ?? []), r]);
    }
    const sections = [...groups].map(([id, group]) => ({
        id,
        body: renderCommentSection(group, render),
        verdict: (0,model/* combineVerdicts */.aG)(group.map(r => r.verdict)),
        order: sectionOrder(id, indexOf?.(group[0]) ?? 0)
    }));
    return upsertSections(gh, { ...rest, sections });
}
async function upsert(gh, opts) {
    if (gh.hasToken === false) {
        return {
            ok: false,
            reason: 'no GitHub token: set the github-token input (or GITHUB_TOKEN for the CLI) to get the PR comment'
        };
    }
    const issue = opts.issue ?? gh.pullNumber;
    if (issue === undefined)
        return { ok: false, reason: 'this run has no pull request to comment on' };
    if (opts.sections.length === 0)
        return { ok: false, reason: 'no section to write' };
    const clock = opts.clock ?? core_clock/* systemClock */.m;
    const settleMin = opts.settleMs ?? 500;
    const maxAttempts = Math.max(1, opts.maxAttempts ?? 8);
    const trust = opts.trust ?? trustedCommentAuthor;
    const key = { plan: opts.plan, target: targetKey(opts.target) };
    const marker = commentMarker(key.plan, key.target);
    const startedAt = clock.now();
    const mine = opts.sections.map(s => ({
        id: s.id,
        order: s.order ?? sectionOrder(s.id),
        verdict: s.verdict,
        body: (0,secrets/* redact */.E$)(s.body),
        stamp: { at: startedAt, seq: ++sequence, writer: (0,external_node_crypto_.randomBytes)(6).toString('hex') }
    }));
    const listOurs = async () => (await gh.listIssueComments(issue))
        .filter(c => typeof c.body === 'string' && c.body.trimStart().startsWith(marker) && trust(c))
        .sort((a, b) => a.id - b.id);
    try {
        for (let attempt = 1; attempt <= maxAttempts; attempt++) {
            const t0 = clock.now();
            let ours = await listOurs();
            try {
                if (ours.length === 0) {
                    await gh.createIssueComment(issue, renderComment(key, mine));
                }
                else {
                    const oldest = ours[0];
                    const merged = mergeSections(ours.map(c => parseComment(c.body).sections), mine);
                    const body = renderComment(key, merged);
                    if (body !== oldest.body)
                        await gh.updateIssueComment(oldest.id, body);
                }
            }
            catch (err) {
                // The comment vanished between read and write (deleted as a duplicate or by hand): read again.
                if ((0,api_error/* isApiStatus */.V)(err, 404) && attempt < maxAttempts)
                    continue;
                throw err;
            }
            // Anyone who read before our write and writes after it has done so by now,
            // so a clobbered section shows up in the re-read.
            const cycle = clock.now() - t0;
            const settle = Math.max(settleMin, 2 * cycle);
            await clock.sleep(settle + Math.random() * (settle / 2));
            ours = await listOurs();
            const oldest = ours[0];
            const held = oldest ? parseComment(oldest.body).sections : [];
            if (!oldest || !mine.every(m => covered(held, m))) {
                await clock.sleep(Math.random() * Math.min(2000, settleMin * 2 ** (attempt - 1)));
                continue;
            }
            let leftover = false;
            for (const dup of ours.slice(1)) {
                if (parseComment(dup.body).sections.every(s => covered(held, s))) {
                    // Best effort: a duplicate we may not delete (another user's) is only clutter.
                    await gh.deleteIssueComment(dup.id).catch(() => undefined);
                }
                else {
                    leftover = true;
                }
            }
            // Our section is safe; a duplicate still holding others' sections gets merged next round.
            if (leftover && attempt < maxAttempts)
                continue;
            return { ok: true, commentId: oldest.id, url: oldest.html_url, attempts: attempt };
        }
        return {
            ok: false,
            reason: `gave up after ${maxAttempts} attempts: concurrent writers kept replacing the comment`
        };
    }
    catch (err) {
        return { ok: false, reason: describeFailure(err, gh, issue) };
    }
}
/** True when `sections` hold `s` at its content or a newer write of the same section. */
function covered(sections, s) {
    const have = sections.find(x => x.id === s.id);
    return have !== undefined && compareStamps(have.stamp, s.stamp) >= 0;
}
/**
 * All sections of the comments read, plus ours; for each id the newest write
 * wins. Order: as they appear in the oldest comment, then the rest.
 */
function mergeSections(read, mine) {
    const byId = new Map();
    for (const s of [...read.flat(), ...mine]) {
        const have = byId.get(s.id);
        if (!have || compareStamps(s.stamp, have.stamp) > 0)
            byId.set(s.id, s);
    }
    return [...byId.values()];
}
function describeFailure(err, gh, issue) {
    const where = `${gh.repo.owner}/${gh.repo.repo}#${issue}`;
    if (err instanceof api_error/* GitHubApiError */.O) {
        const said = err.apiMessage ? ` (${err.apiMessage})` : '';
        switch (err.status) {
            case 401:
                return `GitHub rejected the token${said}: check the github-token input`;
            case 403:
                return (`GitHub refused to write the PR comment on ${where}${said}: the token has no write access ` +
                    `to pull requests. A pull request from a fork gets a read-only token; otherwise give the job ` +
                    '`permissions: pull-requests: write`');
            case 404:
                return `pull request ${where} not found${said}`;
            case 0:
                return `GitHub API unreachable: ${err.apiMessage}`;
            default:
                return `GitHub API failed after ${err.attempts} attempt(s): ${err.message}`;
        }
    }
    return `GitHub API failed: ${(0,secrets/* redact */.E$)((0,core_errors/* errorMessage */.gJ)(err))}`;
}

;// CONCATENATED MODULE: ./src/github/deployments.ts
/**
 * GitHub deployments. A job with `environment:` already has one (GitHub
 * creates it); the action sets its statuses and creates a deployment only
 * where none exists for the commit and environment (the CLI, jobs without an
 * environment). Best effort: failures come back as `{ok: false, reason}`.
 */



// GitHub rejects deployment status descriptions over 140 characters.
const DESCRIPTION_MAX = 140;
function reasonOf(err) {
    if (err instanceof api_error/* GitHubApiError */.O && err.status === 403) {
        return `${err.message}: the token cannot write deployments (give the job \`permissions: deployments: write\`)`;
    }
    return (0,secrets/* redact */.E$)((0,core_errors/* errorMessage */.gJ)(err));
}
function clip(text, max) {
    return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
/** The newest deployment for the commit and environment, or a new one when there is none. */
async function findOrCreateDeployment(gh, t) {
    const sha = t.sha ?? gh.sha;
    if (!sha)
        return { ok: false, reason: 'no commit SHA to deploy' };
    try {
        const found = await gh.listDeployments({ sha, environment: t.environment });
        const newest = found
            .filter(d => d.sha === sha && d.environment === t.environment)
            .sort((a, b) => b.id - a.id)[0];
        if (newest)
            return { ok: true, deploymentId: newest.id, created: false };
        if (gh.hasToken === false)
            return { ok: false, reason: 'no GitHub token: no deployment created' };
        const created = await gh.createDeployment({
            ref: t.ref ?? sha,
            environment: t.environment,
            description: clip((0,secrets/* redact */.E$)(t.description ?? `phase-gate ${t.plan} → ${t.target}`), DESCRIPTION_MAX),
            auto_merge: false,
            required_contexts: [],
            payload: { plan: t.plan, target: t.target, run: t.runId, tool: 'phase-gate' },
            production_environment: t.productionEnvironment,
            transient_environment: t.transientEnvironment
        });
        return { ok: true, deploymentId: created.id, created: true };
    }
    catch (err) {
        return { ok: false, reason: reasonOf(err) };
    }
}
/** Adds a status (in_progress, success, failure, inactive, ...) to a deployment. */
async function setDeploymentStatus(gh, deploymentId, state, opts) {
    if (gh.hasToken === false)
        return { ok: false, reason: 'no GitHub token: deployment status not set' };
    try {
        const status = await gh.createDeploymentStatus(deploymentId, {
            state,
            description: clip((0,secrets/* redact */.E$)(opts.description), DESCRIPTION_MAX),
            environment_url: opts.environmentUrl,
            log_url: opts.logUrl ?? gh.runUrl,
            auto_inactive: opts.autoInactive
        });
        return { ok: true, statusId: status.id };
    }
    catch (err) {
        return { ok: false, reason: reasonOf(err) };
    }
}

;// CONCATENATED MODULE: ./src/action/deployment-status.ts
/**
 * GitHub deployment statuses for the job's environment (the `environment`
 * input), so the repository's Deployments page shows each run per
 * environment and target. Gates that deploy (phase, validate, rollout,
 * rollback, all) set `in_progress` on the job's deployment before the engine
 * runs — the one GitHub made for a job with `environment:`, or a new one
 * where none exists — and `success` or `failure` after; GitHub's
 * auto_inactive marks the superseded ones `inactive`. The soak gate runs on a
 * schedule, away from the release's commit: it never creates a deployment,
 * and only when the soak decides does it mark the environment's newest
 * deployment of the plan `success` (stable) or `failure` (degraded). Best
 * effort throughout: a status that cannot be set is a warning, never a
 * verdict.
 */





/** Gates whose run is a deployment step and gets in_progress → success/failure. */
const DEPLOYING_GATES = [
    'phase',
    'validate',
    'rollout',
    'rollback',
    'all'
];
/** What a finished run says about its deployment, or undefined when it says nothing (a soak still soaking). */
function finalStatus(report, gate) {
    if (!report)
        return { state: 'failure', description: `phase-gate ${gate}: the run could not start` };
    const target = `${report.plan} → ${report.target.namespace}`;
    if (gate === 'soak') {
        const soakGate = report.gates.find(g => g.gate === 'soak');
        const soak = soakGate?.details?.soak;
        const rollback = report.gates.find(g => g.gate === 'rollback');
        if (soak?.status === 'stable' && soakGate && (0,model/* isPassing */.WG)(soakGate.verdict))
            return {
                state: 'success',
                description: `${target}: release ${soak.release ?? ''} is stable (soak passed)`
            };
        if (soak?.status === 'degraded') {
            const back = rollback
                ? (0,model/* isPassing */.WG)(rollback.verdict)
                    ? `; ${rollback.name ?? ''} rollback back to previous stable`
                    : `; ${rollback.name ?? ''} rollback failed`
                : '';
            return {
                state: 'failure',
                description: `${target}: release ${soak.release ?? ''} degraded${back}`
            };
        }
        return undefined;
    }
    const last = report.gates.at(-1);
    const state = [...report.gates]
        .reverse()
        .map(g => g.details?.state?.current)
        .find(Boolean);
    const what = last ? (0,format/* gateTitle */.KS)(last) : String(gate);
    if ((0,model/* isPassing */.WG)(report.verdict))
        return {
            state: 'success',
            description: `${target}: ${what} passed${state ? ` (state ${state})` : ''}`
        };
    const failed = report.gates.find(g => !(0,model/* isPassing */.WG)(g.verdict));
    return {
        state: 'failure',
        description: `${target}: ${failed ? (0,format/* gateTitle */.KS)(failed) : what} ${report.verdict}`
    };
}
const NOOP = { finish: async () => undefined };
/** Starts the run's deployment statuses (in_progress for deploying gates); a no-op without an environment or GitHub. */
async function startDeploymentStatus(github, settings, log) {
    const environment = settings.environment;
    if (!github || !environment)
        return NOOP;
    const deploying = DEPLOYING_GATES.includes(settings.gate);
    if (!deploying && settings.gate !== 'soak')
        return NOOP;
    let plan = '';
    let target = settings.namespace ?? '';
    try {
        const loaded = await (0,loader/* loadPlan */.Yq)(settings.planPath, { workspace: settings.workspace });
        plan = loaded.plan.name;
        target = settings.namespace ?? loaded.plan.target.namespace;
    }
    catch {
        // The engine reports an unreadable plan; the status then says the run could not start.
    }
    const warn = (what, reason) => log.warn(`deployment status (${environment}): ${what}: ${reason}`);
    if (!deploying) {
        // soak: the release's deployment, found when the soak decides; nothing is created.
        return {
            async finish(report) {
                const status = finalStatus(report, 'soak');
                if (!status)
                    return;
                try {
                    const all = await github.listDeployments({ environment });
                    const mine = all
                        .filter(d => d.environment === environment)
                        .filter(d => {
                        const p = d.payload;
                        return (!p ||
                            typeof p !== 'object' ||
                            p.plan === undefined ||
                            p.plan === (report?.plan ?? plan));
                    })
                        .sort((a, b) => b.id - a.id)[0];
                    if (!mine)
                        return warn('no deployment to mark', `the environment ${environment} has none for ${report?.plan ?? plan}`);
                    const r = await setDeploymentStatus(github, mine.id, status.state, {
                        description: status.description
                    });
                    if (!r.ok)
                        warn(`could not set ${status.state}`, r.reason);
                    else
                        log.info(`deployment ${mine.id} (${environment}): ${status.state}: ${status.description}`);
                }
                catch (err) {
                    warn('could not read the deployments', (0,core_errors/* errorMessage */.gJ)(err));
                }
            }
        };
    }
    const found = await findOrCreateDeployment(github, {
        environment,
        plan,
        target,
        runId: settings.runId,
        description: `phase-gate ${plan} → ${target}: ${(0,format/* gateTitle */.KS)({ gate: settings.gate, name: settings.phase ?? settings.stage ?? settings.level })}`
    });
    if (!found.ok) {
        warn('no deployment', found.reason);
        return NOOP;
    }
    const id = found.deploymentId;
    const started = await setDeploymentStatus(github, id, 'in_progress', {
        description: `phase-gate ${settings.gate} running (run ${settings.runId})`
    });
    if (!started.ok)
        warn('could not set in_progress', started.reason);
    return {
        async finish(report) {
            const status = finalStatus(report, settings.gate);
            if (!status)
                return;
            const r = await setDeploymentStatus(github, id, status.state, {
                description: status.description
            });
            if (!r.ok)
                warn(`could not set ${status.state}`, r.reason);
            else
                log.info(`deployment ${id} (${environment}): ${status.state}: ${status.description}`);
        }
    };
}

// EXTERNAL MODULE: ./src/notify/report-events.ts
var report_events = __webpack_require__(8293);
// EXTERNAL MODULE: ./src/gates/record.ts + 2 modules
var record = __webpack_require__(7345);
;// CONCATENATED MODULE: ./src/action/run.ts
/** The action's main step: inputs → engine → summary, annotations, comment, outputs. */




















/** Maps the engine's logger onto the runner's log commands. */
const actionLogger = {
    debug: m => core/* debug */.Yz((0,secrets/* redact */.E$)(m)),
    info: m => core/* info */.pq((0,secrets/* redact */.E$)(m)),
    warn: m => core/* warning */.$e((0,secrets/* redact */.E$)(m)),
    error: m => core/* error */.z3((0,secrets/* redact */.E$)(m))
};
/** Writes the kubeconfig input to a private temp file (mode 600) the post step removes. */
async function materialiseKubeconfig(settings) {
    if (settings.kubeconfig.kind !== 'content')
        return settings;
    const base = process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)();
    const dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)(base, 'phase-gate-'));
    await (0,promises_.chmod)(dir, 0o700);
    const path = (0,external_node_path_.join)(dir, 'kubeconfig');
    await (0,promises_.writeFile)(path, settings.kubeconfig.content, { mode: 0o600 });
    core/* saveState */.LZ(names/* STATE */.c4.tempDir, dir);
    core/* saveState */.LZ(names/* STATE */.c4.kubeconfigPath, path);
    return { ...settings, kubeconfig: { kind: 'path', path } };
}
/** Where the JSON report goes: a stable path per gate so a workflow can upload it. */
function reportPath(settings) {
    const base = (0,external_node_path_.join)(process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), 'phase-gate');
    // The record gate writes record.md and record.json beside its report: a directory of their own,
    // so the record's record.json is not this report's name, and one upload takes all three.
    if (settings.gate === 'record')
        return (0,external_node_path_.join)(base, 'record', 'report.json');
    const unit = settings.phase ?? settings.tracer ?? settings.stage ?? settings.level;
    return (0,external_node_path_.join)(base, `${settings.gate}${unit ? `-${unit}` : ''}.json`);
}
/** record.md and record.json, when a record gate of this run wrote them beside the report. */
function recordFiles(report, path) {
    const wrote = report.gates.some(g => g.gate === 'record' &&
        g.checks.some(c => c.kind === 'record' && c.target === 'files' && c.verdict === 'pass'));
    if (!wrote)
        return undefined;
    return {
        markdown: (0,external_node_path_.join)((0,external_node_path_.dirname)(path), record/* RECORD_FILES */.sh.markdown),
        json: (0,external_node_path_.join)((0,external_node_path_.dirname)(path), record/* RECORD_FILES */.sh.json)
    };
}
/** The GitHub client for this run, when the runner says which repository it is. */
function connectGitHub(settings) {
    const opts = gitHubOptionsFromEnv(process.env, settings.githubToken);
    if (!opts)
        return undefined;
    try {
        return createGitHub(opts);
    }
    catch (err) {
        actionLogger.warn(`GitHub context unusable: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
        return undefined;
    }
}
/** Updates the sticky PR comment; returns a line for the summary when it could not. */
async function updateComment(github, settings, report, plan) {
    if (!settings.comment)
        return undefined;
    if (!github)
        return 'No PR comment: this run has no GitHub repository context.';
    if (!github.pullNumber)
        return undefined;
    const sha = github.headSha ?? github.sha;
    const r = await commentGateResults(github, {
        plan: report.plan,
        target: report.target,
        results: report.gates,
        render: {
            planFile: report.planFile,
            planUrl: sha
                ? blobUrl(github.serverUrl ?? 'https://github.com', github.repo, sha, report.planFile)
                : undefined,
            runUrl: github.runUrl
        },
        indexOf: g => unitIndex(plan, g.gate, g.name),
        log: actionLogger
    });
    return r.ok ? undefined : `The PR comment was not updated: ${r.reason}. The verdict above stands.`;
}
/** Position of a phase, tracer, stage or level in the plan, so comment sections keep the plan's order. */
function unitIndex(plan, gate, name) {
    if (!name)
        return 0;
    const names = {
        phase: (plan.phases ?? []).map(p => p.name),
        tracer: (plan.tracers ?? []).map(t => t.name),
        rollout: ['infra', ...(plan.rollout?.stages ?? []).map(s => s.name)],
        rollback: ['flag', 'config', 'code']
    };
    return Math.max(0, (names[gate] ?? []).indexOf(name));
}
/** The main step. Only this function calls setFailed. */
async function run() {
    (0,secrets/* onSecret */.IJ)(s => core/* setSecret */.Pq(s));
    let settings;
    try {
        settings = await materialiseKubeconfig(readInputs());
    }
    catch (err) {
        core/* setOutput */.uH(names/* OUTPUT */.aQ.verdict, 'error');
        core/* setOutput */.uH(names/* OUTPUT */.aQ.failed, 'true');
        core/* setFailed */.C1((0,secrets/* redact */.E$)((0,core_errors/* errorMessage */.gJ)(err)));
        process.exitCode = 2;
        return;
    }
    // The report's path is known before the gates run: the record gate writes its files beside it.
    const path = settings.reportPath ?? reportPath(settings);
    settings = { ...settings, reportPath: path };
    core/* saveState */.LZ(names/* STATE */.c4.runId, settings.runId);
    core/* saveState */.LZ(names/* STATE */.c4.gate, settings.gate);
    core/* saveState */.LZ(names/* STATE */.c4.planPath, settings.planPath);
    if (settings.context)
        core/* saveState */.LZ(names/* STATE */.c4.context, settings.context);
    const github = connectGitHub(settings);
    const deployment = await startDeploymentStatus(github, settings, actionLogger);
    let report;
    let plan;
    // A cancelled job gets SIGINT then SIGTERM: the first starts cleanup or rollback; the post step finishes it.
    const termination = onTermination(actionLogger);
    try {
        const result = await runEngine(settings, {
            ...productionDeps(settings, actionLogger),
            log: actionLogger,
            github,
            signal: termination.signal
        });
        report = result.report;
        if (termination.received())
            report.verdict = 'cancelled';
        plan = result.loaded.plan;
        core/* saveState */.LZ(names/* STATE */.c4.namespace, report.target.namespace);
        core/* saveState */.LZ(names/* STATE */.c4.plan, report.plan);
    }
    catch (err) {
        await deployment.finish(undefined);
        core/* setOutput */.uH(names/* OUTPUT */.aQ.verdict, 'error');
        core/* setOutput */.uH(names/* OUTPUT */.aQ.failed, 'true');
        if (err instanceof core_errors/* UsageError */.eb) {
            for (const p of err.problems) {
                const m = /^(.*?):(\d+):(\d+): (.*)$/.exec(p);
                if (m)
                    core/* error */.z3((0,secrets/* redact */.E$)(m[4]), {
                        file: m[1],
                        startLine: Number(m[2]),
                        startColumn: Number(m[3]),
                        title: 'phase-gate: invalid plan'
                    });
                else
                    core/* error */.z3((0,secrets/* redact */.E$)(p));
            }
            core/* setFailed */.C1((0,secrets/* redact */.E$)(err.message));
            process.exitCode = 2;
            return;
        }
        const hint = err instanceof core_errors/* InfraError */.Ri && err.hint ? ` (${err.hint})` : '';
        core/* setFailed */.C1((0,secrets/* redact */.E$)(`could not check: ${(0,core_errors/* errorMessage */.gJ)(err)}${hint}`));
        process.exitCode = 3;
        return;
    }
    finally {
        termination.dispose();
    }
    await (0,promises_.mkdir)((0,external_node_path_.join)(path, '..'), { recursive: true });
    await (0,promises_.writeFile)(path, (0,secrets/* redact */.E$)(`${JSON.stringify(report, null, 2)}\n`));
    await deployment.finish(report);
    await (0,report_events/* notifyReport */.ki)(report, plan, { log: actionLogger, runUrl: github?.runUrl });
    const commentNote = await updateComment(github, settings, report, plan);
    await core/* summary */.z
        .addRaw(renderSummary(report, { reportPath: path }) + (commentNote ? `\n> ${commentNote}\n` : ''))
        .write();
    for (const a of collectAnnotations(report)) {
        const props = { title: a.title, file: a.file, startLine: a.line, startColumn: a.column };
        if (a.level === 'error')
            core/* error */.z3((0,secrets/* redact */.E$)(a.message), props);
        else
            core/* warning */.$e((0,secrets/* redact */.E$)(a.message), props);
    }
    core/* setOutput */.uH(names/* OUTPUT */.aQ.verdict, report.verdict);
    core/* setOutput */.uH(names/* OUTPUT */.aQ.report, path);
    const record = recordFiles(report, path);
    if (record) {
        core/* setOutput */.uH(names/* OUTPUT */.aQ.record, record.markdown);
        core/* setOutput */.uH(names/* OUTPUT */.aQ.recordJson, record.json);
    }
    core/* setOutput */.uH(names/* OUTPUT */.aQ.failed, (0,model/* isPassing */.WG)(report.verdict) ? 'false' : 'true');
    if (!(0,model/* isPassing */.WG)(report.verdict)) {
        const failedChecks = report.gates.flatMap(g => g.checks).filter(c => !(0,model/* isPassing */.WG)(c.verdict));
        core/* setFailed */.C1((0,secrets/* redact */.E$)(`phase-gate ${settings.gate}: ${report.verdict}: ${failedChecks
            .slice(0, 3)
            .map(c => `${c.kind} ${c.target}: ${c.message}`)
            .join('; ')}${failedChecks.length > 3 ? ` (and ${failedChecks.length - 3} more)` : ''}`));
        process.exitCode = (0,model/* exitCodeFor */.Rr)(report.verdict, termination.received());
    }
}


/***/ }),

/***/ 7239:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   MH: () => (/* binding */ expectationToCel),
/* harmony export */   yd: () => (/* binding */ triggerToCel)
/* harmony export */ });
/* unused harmony export doubleLiteral */
/* harmony import */ var _core_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8571);
/**
 * Shorthands for metric expectations and rollback triggers, compiled to CEL over `value` (the
 * query result) and `baseline` (the same query on the stable track):
 * `"< 0.5"` is `value < 0.5`, `{above: 5s}` is `value > 5.0`, `{above: 2x baseline}` is
 * `value > 2.0 * baseline`. Numbers are always written as double literals, because metric values
 * are doubles and CEL has no implicit int/double arithmetic.
 */

const COMPARISON = /^(<=|>=|==|!=|<|>)\s*(.*)$/s;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const MULTIPLE_OF_BASELINE = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(?:x|X|×|\*)\s*baseline$/;
const PERCENT = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*%$/;
const STRING_LITERAL = /^(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')$/;
const EXPECTATION_FORMS = 'a comparison with a number, duration, percentage, multiple of baseline or string ' +
    '("< 0.5", ">= 3", "== 200", "< 500ms", "< 2%", "<= 1.5x baseline", "== \'ok\'"), ' +
    'or a CEL expression over value and baseline ("value < 0.5 || baseline == 0.0")';
const THRESHOLD_FORMS = 'a number (5, 0.5), a duration in seconds (5s, 500ms, 2m), a percentage (2%), ' +
    'or a multiple of the baseline (2x baseline, 1.5x baseline)';
/** A number as a CEL double literal: 5 is `5.0`, 0.02 stays `0.02`, float noise trimmed. */
function doubleLiteral(n) {
    if (!Number.isFinite(n))
        throw new Error(`${n} cannot be written as a CEL number`);
    // 15 significant digits trim float noise (0.1 + 0.2); near the double limit they would overflow.
    const trimmed = Number(n.toPrecision(15));
    const text = String(Number.isFinite(trimmed) ? trimmed : n);
    return /[.eE]/.test(text) ? text : `${text}.0`;
}
/** The CEL operand for a threshold, or undefined when the text is none of the accepted forms. */
function operand(text) {
    const t = text.trim();
    if (t === 'baseline')
        return 'baseline';
    if (NUMBER.test(t))
        return doubleLiteral(Number(t));
    const multiple = MULTIPLE_OF_BASELINE.exec(t);
    if (multiple)
        return `${doubleLiteral(Number(multiple[1]))} * baseline`;
    const percent = PERCENT.exec(t);
    if (percent)
        return doubleLiteral(Number(percent[1]) / 100);
    const negative = t.startsWith('-');
    const ms = (0,_core_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .parseDuration */ .E9)(negative ? t.slice(1) : t);
    if (ms !== undefined && /[a-z]$/.test(t))
        return doubleLiteral(((negative ? -1 : 1) * ms) / 1000);
    return undefined;
}
/**
 * An expectation as CEL: `"< 0.5"` → `value < 0.5`, `"< 2x baseline"` → `value < 2.0 * baseline`,
 * `"< 500ms"` → `value < 0.5`; anything not starting with a comparison passes through as CEL.
 */
function expectationToCel(expect) {
    const text = expect.trim();
    if (text === '')
        throw new Error(`invalid expectation "${expect}": it is empty; write ${EXPECTATION_FORMS}`);
    const comparison = COMPARISON.exec(text);
    if (!comparison) {
        if (/^=[^=]|^=>|^=</.test(text)) {
            throw new Error(`invalid expectation "${expect}": '${text.slice(0, 2).trim()}' is not a comparison; write ${EXPECTATION_FORMS}`);
        }
        if (NUMBER.test(text) || operand(text) !== undefined) {
            throw new Error(`invalid expectation "${expect}": a bare value is not an expectation, add a comparison ("== ${text}", "< ${text}")`);
        }
        // Unchanged, so positions in CEL errors match what the user wrote.
        return expect;
    }
    const [, op, rest] = comparison;
    const right = STRING_LITERAL.test(rest.trim()) ? rest.trim() : operand(rest);
    if (right === undefined)
        throw new Error(`invalid expectation "${expect}": "${rest.trim()}" is not a threshold; write ${EXPECTATION_FORMS}`);
    return `value ${op} ${right}`;
}
function threshold(name, v) {
    if (typeof v === 'number')
        return doubleLiteral(v);
    const right = operand(v);
    if (right === undefined)
        throw new Error(`invalid trigger ${name}: "${v}" is not a threshold; write ${THRESHOLD_FORMS}`);
    return right;
}
/**
 * A trigger as CEL that is true when the trigger fires: `{above: 5s}` → `value > 5.0`,
 * `{above: 2x baseline}` → `value > 2.0 * baseline`, `{below: 1}` → `value < 1.0`; with both
 * bounds it fires outside the band; `{cel}` passes through.
 */
function triggerToCel(trigger) {
    const { above, below, cel } = trigger;
    if (cel !== undefined) {
        if (above !== undefined || below !== undefined)
            throw new Error('invalid trigger: give either cel or above/below, not both');
        if (cel.trim() === '')
            throw new Error('invalid trigger: cel is empty');
        return cel;
    }
    const parts = [];
    if (above !== undefined)
        parts.push(`value > ${threshold('above', above)}`);
    if (below !== undefined)
        parts.push(`value < ${threshold('below', below)}`);
    if (parts.length === 0)
        throw new Error(`invalid trigger: give above, below or cel; above and below take ${THRESHOLD_FORMS}`);
    return parts.join(' || ');
}


/***/ }),

/***/ 3217:
/***/ ((__unused_webpack_module, __unused_webpack___webpack_exports__, __webpack_require__) => {


// EXTERNAL MODULE: ./src/core/duration.ts
var duration = __webpack_require__(8571);
// EXTERNAL MODULE: ./src/kube/evidence.ts
var kube_evidence = __webpack_require__(2804);
// EXTERNAL MODULE: ./src/kube/wait.ts
var wait = __webpack_require__(8368);
// EXTERNAL MODULE: ./src/kube/types.ts
var types = __webpack_require__(6384);
// EXTERNAL MODULE: ./src/checks/result.ts
var result = __webpack_require__(7076);
// EXTERNAL MODULE: ./src/checks/validation.ts
var validation = __webpack_require__(1646);
;// CONCATENATED MODULE: ./src/checks/ready.ts
/** `ready: {kind, name}`: the object is Current by kstatus within the time left. */






/** Finds the apiVersion of a kind: from what the phase applied, else the preferred served version. */
async function resolveRef(spec, ctx, cluster) {
    const namespace = spec.namespace ?? ctx.namespace;
    if (spec.apiVersion)
        return { apiVersion: spec.apiVersion, kind: spec.kind, name: spec.name, namespace };
    const applied = ctx.applied?.find((o) => o.kind === spec.kind && o.metadata.name === spec.name);
    if (applied)
        return {
            apiVersion: applied.apiVersion,
            kind: spec.kind,
            name: spec.name,
            namespace: applied.metadata.namespace ?? namespace
        };
    const surface = await cluster.discover();
    const candidates = surface.resources.filter(r => r.kind === spec.kind);
    if (candidates.length === 0)
        return undefined;
    const preferred = candidates.find(r => surface.groups.get(r.group)?.preferred === r.version) ?? candidates[0];
    return {
        apiVersion: (0,types/* joinApiVersion */.fJ)(preferred.group, preferred.version),
        kind: spec.kind,
        name: spec.name,
        namespace: preferred.namespaced ? namespace : undefined
    };
}
(0,validation/* registerValidation */.VV)({
    key: 'ready',
    target: s => `${s.kind}/${s.name}`,
    async run(spec, ctx, location) {
        const cluster = await ctx.cluster();
        const ref = await resolveRef(spec, ctx, cluster);
        const target = `${spec.kind}/${spec.name}`;
        if (!ref)
            return (0,result/* checkResult */.iJ)('ready', target, {
                verdict: 'fail',
                message: `the cluster serves no kind ${spec.kind}`,
                adjustment: 'give apiVersion in the check, or install the CRD first',
                location
            });
        const left = ctx.deadline ? Math.max(0, ctx.deadline - ctx.clock.now()) : 60_000;
        const timeoutMs = Math.min((0,duration/* durationMs */.pc)(spec.timeout, left), left || (0,duration/* durationMs */.pc)(spec.timeout, 60_000));
        const outcome = await (0,wait/* waitForObjects */.Ld)(cluster, [ref], {
            timeoutMs,
            signal: ctx.signal,
            clock: ctx.clock,
            failFast: true
        });
        if (outcome.result === 'done')
            return (0,result/* checkResult */.iJ)('ready', target, {
                verdict: 'pass',
                message: `${spec.kind} ${spec.name} is ready (${outcome.objects[0]?.status.message || 'Current'})`,
                location
            });
        const evidence = await (0,kube_evidence/* collectEvidence */.m)(cluster, ref).then(kube_evidence/* formatEvidence */.V, () => undefined);
        return (0,result/* checkResult */.iJ)('ready', target, {
            verdict: outcome.result === 'cancelled'
                ? 'cancelled'
                : outcome.result === 'error'
                    ? 'error'
                    : 'fail',
            message: outcome.message,
            evidence,
            location
        });
    }
});

// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/cel/criteria.ts
var criteria = __webpack_require__(2875);
;// CONCATENATED MODULE: ./src/checks/http.ts
/**
 * `http`: a request to a Service through the API server's service proxy
 * (works from outside the cluster, no port-forward) or to a `url:`; judged on
 * status, a body pattern or a CEL expression over the response.
 */





async function fetchUrl(spec, timeoutMs, signal) {
    const started = Date.now();
    const res = await fetch(spec.url, {
        method: spec.method ?? 'GET',
        headers: spec.headers,
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
        redirect: 'manual'
    });
    const body = await res.text();
    const headers = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    return { status: res.status, headers, body, durationMs: Date.now() - started };
}
(0,validation/* registerValidation */.VV)({
    key: 'http',
    target: s => s.url ?? `${s.service}:${s.port ?? 80}${s.path ?? '/'}`,
    async run(spec, ctx, location) {
        const target = spec.url ?? `${spec.service}:${spec.port ?? 80}${spec.path ?? '/'}`;
        const timeoutMs = (0,duration/* durationMs */.pc)(spec.timeout, 10_000);
        let res;
        try {
            if (spec.url)
                res = await fetchUrl(spec, timeoutMs, ctx.signal);
            else {
                const cluster = await ctx.cluster();
                res = await cluster.proxy({
                    namespace: spec.namespace ?? ctx.namespace,
                    service: spec.service,
                    port: spec.port ?? 80,
                    path: spec.path ?? '/',
                    method: spec.method,
                    headers: spec.headers,
                    timeoutMs
                });
            }
        }
        catch (err) {
            return (0,result/* checkResult */.iJ)('http', target, {
                verdict: 'fail',
                message: `no answer from ${target}: ${(0,errors/* errorMessage */.gJ)(err)}`,
                adjustment: spec.url
                    ? 'check the URL is reachable from the runner'
                    : 'check the Service has ready endpoints (kubectl get endpointslices)',
                location
            });
        }
        const problems = [];
        const wantStatus = spec.expect?.status ?? 200;
        if (res.status !== wantStatus)
            problems.push(`status ${res.status}, expected ${wantStatus}`);
        if (spec.expect?.body && !new RegExp(spec.expect.body).test(res.body))
            problems.push(`body does not match /${spec.expect.body}/`);
        if (spec.expect?.cel) {
            let json;
            try {
                json = JSON.parse(res.body);
            }
            catch {
                json = null;
            }
            const ok = (0,criteria/* evaluateCel */.Sx)(spec.expect.cel, {
                status: res.status,
                body: res.body,
                json,
                headers: res.headers
            });
            if (ok !== true)
                problems.push(`${spec.expect.cel} is ${String(ok)}`);
        }
        const evidence = `HTTP ${res.status} in ${res.durationMs} ms\n${res.body.slice(0, 500)}`;
        return (0,result/* checkResult */.iJ)('http', target, {
            verdict: problems.length ? 'fail' : 'pass',
            message: problems.length
                ? `${target}: ${problems.join('; ')}`
                : `${target} answered ${res.status} in ${res.durationMs} ms`,
            evidence: problems.length ? evidence : undefined,
            data: { status: res.status, durationMs: res.durationMs },
            location
        });
    }
});

// EXTERNAL MODULE: ./src/checks/command.ts
var checks_command = __webpack_require__(9812);
;// CONCATENATED MODULE: ./src/checks/env.ts
/**
 * `env`: every container of every Pod matching a selector has the required
 * variables, set directly, through valueFrom (Secret/ConfigMap key, field) or
 * envFrom. Values are never read into the report: only where each comes from.
 */


/** Where each required variable of a container comes from, or that it is missing. */
async function resolveEnv(container, require, lookup) {
    const found = {};
    const missing = [];
    for (const name of require) {
        const direct = container.env?.find(e => e.name === name);
        if (direct) {
            if (direct.value !== undefined)
                found[name] = 'value';
            else if (direct.valueFrom) {
                const [kind, ref] = Object.entries(direct.valueFrom)[0] ?? [];
                if (kind === 'secretKeyRef' || kind === 'configMapKeyRef') {
                    const data = await lookup(kind === 'secretKeyRef' ? 'Secret' : 'ConfigMap', ref?.name ?? '');
                    if (data && ref?.key && ref.key in data)
                        found[name] =
                            `${kind === 'secretKeyRef' ? 'Secret' : 'ConfigMap'} ${ref.name}[${ref.key}]`;
                    else
                        missing.push(`${name} (${kind} ${ref?.name}[${ref?.key}] does not exist)`);
                }
                else
                    found[name] = kind ?? 'valueFrom';
            }
            continue;
        }
        let fromRef = false;
        for (const src of container.envFrom ?? []) {
            const kind = src.secretRef ? 'Secret' : 'ConfigMap';
            const refName = src.secretRef?.name ?? src.configMapRef?.name ?? '';
            const prefix = src.prefix ?? '';
            if (!name.startsWith(prefix))
                continue;
            const data = await lookup(kind, refName);
            if (data && name.slice(prefix.length) in data) {
                found[name] = `envFrom ${kind} ${refName}`;
                fromRef = true;
                break;
            }
        }
        if (!fromRef)
            missing.push(name);
    }
    return { found, missing };
}
(0,validation/* registerValidation */.VV)({
    key: 'env',
    target: s => s.selector,
    async run(spec, ctx, location) {
        const cluster = await ctx.cluster();
        const namespace = spec.namespace ?? ctx.namespace;
        const { items: pods } = await cluster.list('v1', 'Pod', {
            namespace,
            labelSelector: spec.selector
        });
        const live = pods.filter(p => !p.metadata.deletionTimestamp);
        if (live.length === 0)
            return (0,result/* checkResult */.iJ)('env', spec.selector, {
                verdict: 'fail',
                message: `no Pod in ${namespace} matches ${spec.selector}`,
                adjustment: 'check the selector against the workload’s pod labels',
                location
            });
        const cache = new Map();
        // Only keys are kept: values of Secrets never leave this function.
        const lookup = (kind, name) => {
            const k = `${kind}/${name}`;
            if (!cache.has(k))
                cache.set(k, cluster.get({ apiVersion: 'v1', kind, name, namespace }).then(o => {
                    if (!o)
                        return undefined;
                    const keys = {
                        ...(o.data ?? {}),
                        ...(o.binaryData ?? {})
                    };
                    return Object.fromEntries(Object.keys(keys).map(key => [key, '']));
                }));
            return cache.get(k);
        };
        const missingLines = [];
        for (const pod of live) {
            const containers = (pod.spec?.containers ?? []).filter(c => !spec.container || c.name === spec.container);
            for (const c of containers) {
                const { missing } = await resolveEnv(c, spec.require, lookup);
                if (missing.length)
                    missingLines.push(`${podName(pod)}/${c.name}: missing ${missing.join(', ')}`);
            }
        }
        return (0,result/* checkResult */.iJ)('env', spec.selector, {
            verdict: missingLines.length ? 'fail' : 'pass',
            message: missingLines.length
                ? `${missingLines.length} container${missingLines.length === 1 ? '' : 's'} lack required variables`
                : `${spec.require.join(', ')} set in every container of ${live.length} pod${live.length === 1 ? '' : 's'}`,
            evidence: missingLines.length ? missingLines.slice(0, 20).join('\n') : undefined,
            adjustment: missingLines.length
                ? 'set the variables in the pod template, from a Secret with secretKeyRef for credentials'
                : undefined,
            location
        });
    }
});
function podName(p) {
    return p.metadata.name;
}

// EXTERNAL MODULE: ./src/metrics/judge.ts
var judge = __webpack_require__(6782);
// EXTERNAL MODULE: ./src/metrics/prometheus.ts
var prometheus = __webpack_require__(9881);
// EXTERNAL MODULE: ./src/metrics/types.ts
var metrics_types = __webpack_require__(7032);
;// CONCATENATED MODULE: ./src/checks/metric.ts
/**
 * `metric`: a PromQL query against the plan's Prometheus, judged by a CEL
 * expectation (or a shorthand such as `"< 0.5"`) with `value` and, when the
 * check names one, `baseline` bound. Without `window` it is one instant
 * query; with a window it samples from now until the window has passed
 * (every tenth of the window, 1 s to 30 s apart) and the expectation must
 * hold at every sample. No data is never a pass: an empty answer or NaN at
 * the last sample fails with "no data for <query> since <time>". Every result
 * shows its numbers: query, value, threshold, baseline and window.
 */







/** Most samples a timeline in the report keeps (the newest). */
const TIMELINE_LIMIT = 60;
/** Time between samples of a window: a tenth of it, 1 s to 30 s. */
function sampleIntervalMs(windowMs) {
    return Math.min(30_000, Math.max(1000, Math.round(windowMs / 10)));
}
/** Runs one metric check (the registered `metric` kind calls this). */
async function runMetricCheck(spec, ctx, location) {
    const target = spec.name ?? spec.query;
    const fail = (message, extra = {}) => (0,result/* checkResult */.iJ)('metric', target, { verdict: 'fail', message, location, ...extra });
    let cel;
    try {
        cel = (0,judge/* expectationCel */.l5)(spec.expect);
    }
    catch (err) {
        return fail((0,errors/* errorMessage */.gJ)(err), { adjustment: 'fix the expectation in the plan' });
    }
    // `{{track}}` in a check means the canary; the baseline is the same query on the stable track.
    const query = (0,prometheus/* hasTrack */.q5)(spec.query) ? (0,prometheus/* withTrack */.eI)(spec.query, 'canary') : spec.query;
    const baselineQuery = spec.baseline
        ? (0,prometheus/* withTrack */.eI)(spec.baseline, 'stable')
        : (0,judge/* usesBaseline */.KB)(cel) && (0,prometheus/* hasTrack */.q5)(spec.query)
            ? (0,prometheus/* withTrack */.eI)(spec.query, 'stable')
            : undefined;
    if ((0,judge/* usesBaseline */.KB)(cel) && !baselineQuery)
        return fail(`the expectation ${spec.expect} reads baseline, but the check has no baseline query`, {
            adjustment: 'add `baseline:` (the same query on the stable track) or write {{track}} in the query'
        });
    const metrics = ctx.metrics();
    const windowMs = spec.window !== undefined ? (0,duration/* durationMs */.pc)(spec.window, 0) : 0;
    const started = ctx.clock.now();
    let until = started + windowMs;
    let cut = false;
    if (ctx.deadline !== undefined && until > ctx.deadline) {
        until = Math.max(started, ctx.deadline);
        cut = true;
    }
    const every = sampleIntervalMs(windowMs);
    const samples = [];
    const data = (last) => {
        const v = last?.values.length === 1 ? last.values[0].value : undefined;
        return {
            prometheus: metrics.url,
            query,
            ...(baselineQuery ? { baselineQuery } : {}),
            expect: spec.expect,
            cel,
            ...(v !== undefined ? { value: (0,judge/* jsonNumber */.qj)(v) } : {}),
            ...(last?.baseline !== undefined ? { baseline: (0,judge/* jsonNumber */.qj)(last.baseline) } : {}),
            ...(spec.window ? { window: spec.window, windowMs } : {}),
            samples: samples.length,
            timeline: samples.slice(-TIMELINE_LIMIT).map(s => ({
                at: new Date(s.at).toISOString(),
                ...(s.values.length === 1 ? { value: (0,judge/* jsonNumber */.qj)(s.values[0].value) } : {}),
                ...(s.values.length > 1 ? { series: s.values.length } : {}),
                ...(s.baseline !== undefined ? { baseline: (0,judge/* jsonNumber */.qj)(s.baseline) } : {}),
                ...(s.noData ? { noData: s.noData } : {})
            }))
        };
    };
    const baseWords = (s) => s.baseline !== undefined ? `, baseline ${(0,judge/* formatNumber */.ZV)(s.baseline)}` : '';
    let lastData;
    for (;;) {
        const at = ctx.clock.now();
        let sample;
        try {
            sample = await takeSample(metrics, query, baselineQuery, ctx.signal);
        }
        catch (err) {
            if (err instanceof prometheus/* PromQLError */.eu)
                return fail(err.message, { adjustment: 'fix the query in the plan', data: data() });
            if (err instanceof metrics_types/* MetricsUnavailableError */.G || !ctx.signal.aborted)
                return (0,result/* checkResult */.iJ)('metric', target, {
                    verdict: 'error',
                    message: `could not check ${target}: ${(0,errors/* errorMessage */.gJ)(err)}`,
                    adjustment: 'check that Prometheus is reachable from the runner and the credentials are set',
                    location,
                    data: data()
                });
            throw err;
        }
        sample.at = at;
        samples.push(sample);
        if (!sample.noData) {
            lastData = at;
            for (const s of sample.values) {
                let ok;
                try {
                    ok = (0,judge/* evaluateCondition */.F9)(cel, s.value, sample.baseline);
                }
                catch (err) {
                    return fail(`cannot judge ${target}: ${(0,judge/* describeJudgeError */.Po)(err)}`, { data: data(sample) });
                }
                if (!ok) {
                    const series = sample.values.length > 1 ? ` for ${formatLabels(s.labels)}` : '';
                    return fail(`${target} = ${(0,judge/* formatNumber */.ZV)(s.value)}${series}${baseWords(sample)} at ${new Date(at).toISOString()}: expected ${spec.expect}${windowMs ? ` throughout ${spec.window}` : ''}`, {
                        evidence: `query: ${query}${baselineQuery ? `\nbaseline: ${baselineQuery}` : ''}\nexpectation: ${cel}`,
                        data: {
                            ...data(sample),
                            ...(sample.values.length > 1 ? { failedSeries: s.labels } : {})
                        }
                    });
                }
            }
        }
        const now = ctx.clock.now();
        if (now >= until)
            break;
        await ctx.clock.sleep(Math.min(every, until - now), ctx.signal);
    }
    const last = samples[samples.length - 1];
    if (last.noData) {
        const since = new Date(lastData ?? started).toISOString();
        return fail(`no data for ${query} since ${since}: ${last.noData}`, {
            evidence: `${samples.length} sample${samples.length === 1 ? '' : 's'}${windowMs ? ` over ${(0,duration/* formatDuration */.a3)(until - started)}` : ''}, ${samples.filter(s => !s.noData).length} with data`,
            adjustment: 'check the query selects series that exist (labels, metric name) and that the workload is scraped',
            data: data(last)
        });
    }
    const shown = last.values.length === 1
        ? (0,judge/* formatNumber */.ZV)(last.values[0].value)
        : `${last.values.length} series, each`;
    const over = windowMs
        ? ` over ${(0,duration/* formatDuration */.a3)(until - started)} (${samples.length} samples${cut ? `; window ${spec.window} cut short by the deadline` : ''})`
        : '';
    return (0,result/* checkResult */.iJ)('metric', target, {
        verdict: cut ? 'warn' : 'pass',
        message: `${target} = ${shown} (expect ${spec.expect}${baseWords(last)})${over}`,
        location,
        data: data(last)
    });
}
async function takeSample(metrics, query, baselineQuery, signal) {
    const [values, base] = await Promise.all([
        metrics.query(query, { signal }),
        baselineQuery ? metrics.query(baselineQuery, { signal }) : Promise.resolve(undefined)
    ]);
    const sample = { at: 0, values: values.filter(v => !Number.isNaN(v.value)) };
    if (values.length === 0)
        sample.noData = 'the query returned no series';
    else if (sample.values.length === 0)
        sample.noData = 'the value is NaN (nothing to divide: no requests?)';
    if (base !== undefined) {
        if (base.length !== 1 || Number.isNaN(base[0].value)) {
            sample.noData ??=
                base.length > 1
                    ? `the baseline query returned ${base.length} series; aggregate it to one`
                    : `no baseline: ${baselineQuery} ${base.length === 0 ? 'returned no series' : 'is NaN'}`;
        }
        else
            sample.baseline = base[0].value;
    }
    return sample;
}
function formatLabels(labels) {
    return `{${Object.entries(labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(',')}}`;
}
(0,validation/* registerValidation */.VV)({
    key: 'metric',
    target: s => s.name ?? s.query,
    run: (spec, ctx, location) => runMetricCheck(spec, ctx, location)
});

// EXTERNAL MODULE: ./src/core/clock.ts
var core_clock = __webpack_require__(2257);
// EXTERNAL MODULE: ./src/core/secrets.ts
var secrets = __webpack_require__(8198);
// EXTERNAL MODULE: ./src/github/api-error.ts
var api_error = __webpack_require__(3660);
;// CONCATENATED MODULE: ./src/github/pull-request.ts
/**
 * Pre-deploy checks from what the default token can read: the PR's reviews
 * (latest review per user counts), labels, and the check runs and commit
 * statuses of the head SHA. Branch protection's required checks need admin
 * rights, so they are used only when readable; otherwise the plan's
 * `requiredChecks` stand, and the result says so.
 */




/**
 * The latest standing review per user, in submission order. COMMENTED and
 * PENDING reviews leave a user's standing as it was (as on GitHub); DISMISSED
 * clears it.
 */
function summariseReviews(reviews) {
    const byUser = new Map();
    const sorted = [...reviews].sort((a, b) => {
        const ta = a.submitted_at ? Date.parse(a.submitted_at) : 0;
        const tb = b.submitted_at ? Date.parse(b.submitted_at) : 0;
        return ta - tb || a.id - b.id;
    });
    for (const r of sorted) {
        const user = r.user?.login;
        if (!user)
            continue;
        const state = r.state.toUpperCase();
        if (state === 'APPROVED' || state === 'CHANGES_REQUESTED') {
            byUser.delete(user);
            byUser.set(user, { user, state, submittedAt: r.submitted_at, commitId: r.commit_id });
        }
        else if (state === 'DISMISSED') {
            byUser.delete(user);
        }
    }
    return [...byUser.values()];
}
const OK_CONCLUSIONS = new Set(['success', 'neutral', 'skipped']);
function checkRunOutcome(status, conclusion) {
    if (status !== 'completed' || conclusion === null)
        return 'pending';
    return OK_CONCLUSIONS.has(conclusion) ? 'ok' : 'failing';
}
function statusOutcome(state) {
    if (state === 'success')
        return 'ok';
    if (state === 'pending')
        return 'pending';
    return 'failing';
}
/** Reads reviews, labels, checks and statuses of the PR (and branch protection when readable). */
async function readPullRequestState(gh, opts) {
    const clock = opts.clock ?? core_clock/* systemClock */.m;
    const started = clock.now();
    const pr = await gh.getPullRequest(opts.pullNumber);
    const sha = opts.sha ?? pr.head.sha;
    const [reviews, runs, combined] = await Promise.all([
        gh.listReviews(opts.pullNumber),
        gh.listCheckRuns(sha),
        gh.getCombinedStatus(sha)
    ]);
    let requiredChecks;
    let protectionUnreadable;
    try {
        const rsc = await gh.getRequiredStatusChecks(pr.base.ref);
        requiredChecks = [
            ...new Set([...(rsc.contexts ?? []), ...(rsc.checks ?? []).map(c => c.context)])
        ];
    }
    catch (err) {
        if (!(err instanceof api_error/* GitHubApiError */.O) || (err.status !== 403 && err.status !== 404))
            throw err;
        protectionUnreadable =
            err.status === 403
                ? `branch protection of ${pr.base.ref} is not readable with this token (403: needs admin rights)`
                : `branch protection of ${pr.base.ref} not found or not readable (404)`;
    }
    const checks = [
        ...runs.map(r => ({
            name: r.name,
            source: 'check-run',
            outcome: checkRunOutcome(r.status, r.conclusion),
            detail: r.conclusion ?? r.status,
            url: r.html_url
        })),
        ...combined.statuses.map(s => ({
            name: s.context,
            source: 'status',
            outcome: statusOutcome(s.state),
            detail: s.state,
            url: s.target_url ?? undefined
        }))
    ];
    return {
        number: pr.number,
        headSha: sha,
        baseRef: pr.base.ref,
        draft: pr.draft === true,
        labels: pr.labels.map(l => l.name),
        reviews: summariseReviews(reviews),
        checks,
        requiredChecks,
        protectionUnreadable,
        durationMs: Math.max(0, clock.now() - started)
    };
}
/** The outcome of the checks with this name (failing beats pending beats ok), or undefined when none reported. */
function outcomeOf(state, name) {
    const matches = state.checks.filter(c => c.name === name);
    if (matches.length === 0)
        return undefined;
    if (matches.some(c => c.outcome === 'failing'))
        return 'failing';
    if (matches.some(c => c.outcome === 'pending'))
        return 'pending';
    return 'ok';
}
/** Judges the PR against the plan's `pullRequest` check: approvals, no changes requested, no blocking label, required checks green. */
function judgePullRequest(state, spec = {}) {
    const failures = [];
    const warnings = [];
    const fixes = [];
    const notes = [];
    const needed = spec.approvals ?? 1;
    const approvedBy = state.reviews.filter(r => r.state === 'APPROVED').map(r => r.user);
    const changesBy = state.reviews.filter(r => r.state === 'CHANGES_REQUESTED').map(r => r.user);
    if (changesBy.length > 0) {
        failures.push(`changes requested by ${changesBy.join(', ')}`);
        fixes.push('address the requested changes and get a new review (or have the review dismissed)');
    }
    if (approvedBy.length < needed) {
        failures.push(`${approvedBy.length} of ${needed} required approval${needed === 1 ? '' : 's'}`);
        fixes.push(`get ${needed - approvedBy.length} more approving review(s)`);
    }
    const blocking = new Set((spec.blockingLabels ?? []).map(l => l.toLowerCase()));
    const blockedBy = state.labels.filter(l => blocking.has(l.toLowerCase()));
    if (blockedBy.length > 0) {
        failures.push(`blocking label${blockedBy.length === 1 ? '' : 's'} ${blockedBy.join(', ')}`);
        fixes.push(`remove the label(s) ${blockedBy.join(', ')} once the reason is resolved`);
    }
    let required;
    if (state.requiredChecks !== undefined) {
        required = [...new Set([...state.requiredChecks, ...(spec.requiredChecks ?? [])])];
    }
    else {
        required = [...new Set(spec.requiredChecks ?? [])];
        if (state.protectionUnreadable) {
            notes.push(`${state.protectionUnreadable}; judged against the plan's requiredChecks: ${required.length ? required.join(', ') : '(none)'}`);
        }
    }
    const missing = [];
    const pending = [];
    const failing = [];
    for (const name of required) {
        const outcome = outcomeOf(state, name);
        if (outcome === undefined)
            missing.push(name);
        else if (outcome === 'pending')
            pending.push(name);
        else if (outcome === 'failing')
            failing.push(name);
    }
    if (failing.length)
        failures.push(`required check${failing.length === 1 ? '' : 's'} failing: ${failing.join(', ')}`);
    if (pending.length)
        failures.push(`required check${pending.length === 1 ? '' : 's'} not finished: ${pending.join(', ')}`);
    if (missing.length)
        failures.push(`required check${missing.length === 1 ? '' : 's'} not reported on ${state.headSha.slice(0, 7)}: ${missing.join(', ')}`);
    if (failing.length || pending.length || missing.length) {
        fixes.push('wait for the required checks to pass on the head commit (re-run failed ones after fixing)');
    }
    // Checks nobody required: a failure is worth a warning, a running one (this job, say) is not.
    const requiredSet = new Set(required);
    const otherFailing = [
        ...new Set(state.checks.filter(c => !requiredSet.has(c.name) && c.outcome === 'failing').map(c => c.name))
    ];
    if (otherFailing.length)
        warnings.push(`other checks failing: ${otherFailing.join(', ')}`);
    if (state.draft)
        warnings.push('the pull request is a draft');
    const verdict = failures.length ? 'fail' : warnings.length ? 'warn' : 'pass';
    const severity = failures.length ? 'high' : warnings.length ? 'medium' : 'info';
    const message = verdict === 'pass'
        ? `PR #${state.number}: ${approvedBy.length} approval${approvedBy.length === 1 ? '' : 's'}, ${required.length} required check${required.length === 1 ? '' : 's'} green`
        : `PR #${state.number}: ${[...failures, ...warnings].join('; ')}`;
    const fallback = state.requiredChecks === undefined && state.protectionUnreadable
        ? " (branch protection not readable: judged against the plan's requiredChecks)"
        : '';
    const evidence = [
        `head ${state.headSha} (base ${state.baseRef})`,
        `reviews: ${state.reviews.length ? state.reviews.map(r => `${r.user}=${r.state}`).join(', ') : '(none)'}`,
        `labels: ${state.labels.length ? state.labels.join(', ') : '(none)'}`,
        `required checks: ${required.length ? required.map(n => `${n}=${outcomeOf(state, n) ?? 'missing'}`).join(', ') : '(none)'}`,
        ...state.checks.map(c => `  ${c.source} ${c.name}: ${c.detail}`),
        ...notes
    ].join('\n');
    return {
        id: `pullRequest:#${state.number}`,
        kind: 'pullRequest',
        target: `#${state.number}`,
        verdict,
        severity,
        message: (0,secrets/* redact */.E$)(message + fallback),
        evidence: (0,secrets/* redact */.E$)(evidence),
        adjustment: fixes.length ? fixes.join('; ') : undefined,
        durationMs: state.durationMs,
        data: {
            approvals: approvedBy,
            approvalsNeeded: needed,
            changesRequestedBy: changesBy,
            blockingLabels: blockedBy,
            requiredChecks: required,
            requiredChecksSource: state.requiredChecks !== undefined ? 'branch-protection' : 'plan',
            failing,
            pending,
            missing,
            notes
        }
    };
}
/** readPullRequestState + judgePullRequest, with a failure to read turned into an `error` result. */
async function checkPullRequest(gh, opts, spec = {}) {
    const clock = opts.clock ?? core_clock/* systemClock */.m;
    const started = clock.now();
    try {
        return judgePullRequest(await readPullRequestState(gh, opts), spec);
    }
    catch (err) {
        return {
            id: `pullRequest:#${opts.pullNumber}`,
            kind: 'pullRequest',
            target: `#${opts.pullNumber}`,
            verdict: 'error',
            severity: 'high',
            message: `could not read pull request #${opts.pullNumber}: ${(0,secrets/* redact */.E$)((0,errors/* errorMessage */.gJ)(err))}`,
            adjustment: 'Give the job a token that can read pull requests and checks (`permissions: pull-requests: read, checks: read, statuses: read`).',
            durationMs: Math.max(0, clock.now() - started),
            retries: err instanceof api_error/* GitHubApiError */.O ? err.attempts - 1 : undefined
        };
    }
}

;// CONCATENATED MODULE: ./src/checks/pull-request.ts
/**
 * `pullRequest: {approvals, blockingLabels, requiredChecks}`: the pull
 * request this run belongs to is approved, has no outstanding "changes
 * requested", carries no blocking label and its required checks are green,
 * read with what the default token can read (src/github/pull-request.ts).
 * Without a GitHub context (a CLI run) or outside a pull request it is
 * skipped, and says why.
 */



const TARGET = 'pull request';
(0,validation/* registerValidation */.VV)({
    key: 'pullRequest',
    target: () => TARGET,
    async run(spec, ctx, location) {
        const gh = ctx.github;
        if (!gh)
            return (0,result/* checkResult */.iJ)('pullRequest', TARGET, {
                verdict: 'skip',
                message: 'skipped: no GitHub context (the pull-request check reads the PR through the GitHub API, which a run outside GitHub Actions has not got)',
                adjustment: 'run it in a workflow on a pull_request event, with permissions pull-requests: read, checks: read, statuses: read',
                location
            });
        if (gh.pullNumber === undefined)
            return (0,result/* checkResult */.iJ)('pullRequest', TARGET, {
                verdict: 'skip',
                message: `skipped: this run of ${gh.repo.owner}/${gh.repo.repo} belongs to no pull request (not a pull_request event)`,
                adjustment: 'put the check in a job that runs on pull_request, or drop it from gates that run after the merge',
                location
            });
        const r = await checkPullRequest(gh, { pullNumber: gh.pullNumber, sha: gh.headSha, clock: ctx.clock }, spec ?? {});
        return { ...r, location };
    }
});

// EXTERNAL MODULE: ./src/checks/version-range.ts
var version_range = __webpack_require__(4645);
;// CONCATENATED MODULE: ./src/checks/tools.ts
/**
 * `tools: {kubectl: ">=1.30", helm: ">=3.14"}`: the tools a runbook calls
 * exist on the runner at the needed versions (DESIGN "Pre-deployment
 * readiness: environment readiness"). Each tool is asked its version the way
 * it answers reliably (`kubectl version --client -o json`, `helm version
 * --short`, otherwise `<tool> --version`), and the version is compared with
 * the semver range.
 */





// A version as tools print it: `v1.30.2`, `3.14.2+g1234`, `go1.22.1`, `16.2`,
// with a pre-release only when it is one (`-rc.1`), not a distro suffix (`-alpine`).
const VERSION_IN_TEXT = /(?:^|[^\d.])v?(\d+\.\d+(?:\.\d+)?(?:-(?:alpha|beta|rc|pre)[0-9A-Za-z.]*)?)(?![\d])/;
/** The first version number in a tool's output. */
function firstVersion(text) {
    return VERSION_IN_TEXT.exec(text)?.[1];
}
function jsonField(text, path) {
    try {
        let v = JSON.parse(text);
        for (const k of path)
            v = v && typeof v === 'object' ? v[k] : undefined;
        return typeof v === 'string' && v ? v : undefined;
    }
    catch {
        return undefined;
    }
}
const both = (stdout, stderr) => `${stdout}\n${stderr}`;
const GENERIC = { args: ['--version'], parse: (o, e) => firstVersion(both(o, e)) };
/** Tools whose `--version` is missing or misleading, and how to ask them instead. */
const VERSION_PROBES = {
    // `kubectl version` without --client also asks the server, which may be down or far away.
    kubectl: {
        args: ['version', '--client', '-o', 'json'],
        parse: o => jsonField(o, ['clientVersion', 'gitVersion']) ?? firstVersion(o)
    },
    oc: {
        args: ['version', '--client', '-o', 'json'],
        parse: o => jsonField(o, ['releaseClientVersion']) ??
            jsonField(o, ['clientVersion', 'gitVersion']) ??
            firstVersion(o)
    },
    helm: { args: ['version', '--short'], parse: (o, e) => firstVersion(both(o, e)) },
    go: { args: ['version'], parse: o => firstVersion(o) },
    kustomize: { args: ['version'], parse: (o, e) => firstVersion(both(o, e)) },
    argocd: { args: ['version', '--client', '--short'], parse: (o, e) => firstVersion(both(o, e)) },
    // java and a few others print their version on stderr.
    java: { args: ['-version'], parse: (o, e) => firstVersion(both(e, o)) }
};
/** The probe for a tool (by its base name, so `/usr/local/bin/helm` is helm). */
function probeFor(tool) {
    const base = tool.split('/').pop() ?? tool;
    return VERSION_PROBES[base] ?? GENERIC;
}
const TOOL_TIMEOUT_MS = 30_000;
(0,validation/* registerValidation */.VV)({
    key: 'tools',
    target: s => Object.keys(s).join(','),
    async run(spec, ctx, location) {
        const target = Object.keys(spec).join(',');
        const findings = await Promise.all(Object.entries(spec).map(async ([tool, range]) => {
            const probe = probeFor(tool);
            const command = [tool, ...probe.args].join(' ');
            const matches = (0,version_range/* parseRange */.RC)(range);
            if (!matches)
                return {
                    tool,
                    range,
                    command,
                    outcome: 'bad-range',
                    detail: `the range "${range}" does not parse (write e.g. ">=1.30", "^3.14", ">=1.2 <2")`
                };
            let r;
            try {
                // No cwd: a version probe needs none, and a missing directory would read as a missing tool.
                r = await ctx.exec.run([tool, ...probe.args], {
                    timeoutMs: TOOL_TIMEOUT_MS,
                    signal: ctx.signal
                });
            }
            catch (err) {
                return { tool, range, command, outcome: 'missing', detail: (0,errors/* errorMessage */.gJ)(err) };
            }
            if (r.spawnError)
                return { tool, range, command, outcome: 'missing', detail: r.spawnError };
            const text = probe.parse(r.stdout, r.stderr);
            const version = text ? (0,version_range/* parseVersion */.ot)(text) : undefined;
            if (!text || !version) {
                const said = (0,checks_command/* tail */.R)(r.stderr || r.stdout, 5);
                return {
                    tool,
                    range,
                    command,
                    outcome: 'unreadable',
                    exitCode: r.exitCode,
                    detail: r.timedOut
                        ? `timed out after ${TOOL_TIMEOUT_MS / 1000}s`
                        : `exit ${r.exitCode}${said ? `: ${said}` : ', no output'}`
                };
            }
            return {
                tool,
                range,
                command,
                version: text,
                exitCode: r.exitCode,
                outcome: matches(version) ? 'ok' : 'too-old'
            };
        }));
        const bad = findings.filter(f => f.outcome !== 'ok');
        const line = (f) => {
            switch (f.outcome) {
                case 'ok':
                    return `${f.tool} ${f.version} satisfies ${f.range} (${f.command})`;
                case 'too-old':
                    return `${f.tool} ${f.version} does not satisfy ${f.range} (${f.command})`;
                case 'missing':
                    return `${f.tool} is not installed or not on PATH (${f.detail})`;
                case 'unreadable':
                    return `${f.tool}: no version in the output of \`${f.command}\` (${f.detail})`;
                case 'bad-range':
                    return `${f.tool}: ${f.detail}`;
            }
        };
        const fixes = bad
            .filter(f => f.outcome === 'missing' || f.outcome === 'too-old')
            .map(f => `install ${f.tool} ${f.range} on the runner (or put it first on PATH)`);
        return (0,result/* checkResult */.iJ)('tools', target, {
            verdict: bad.some(f => f.outcome === 'bad-range') && bad.every(f => f.outcome === 'bad-range')
                ? 'error'
                : bad.length
                    ? 'fail'
                    : 'pass',
            message: bad.length
                ? bad.map(line).join('; ')
                : `${findings.map(f => `${f.tool} ${f.version}`).join(', ')} satisfy ${findings.map(f => `${f.tool} ${f.range}`).join(', ')}`,
            evidence: findings.map(f => `${f.outcome === 'ok' ? 'ok  ' : 'FAIL'} ${line(f)}`).join('\n'),
            adjustment: fixes.length
                ? fixes.join('; ')
                : bad.length
                    ? 'fix the ranges in the plan, or make the tools print their version'
                    : undefined,
            data: {
                tools: Object.fromEntries(findings.map(f => [
                    f.tool,
                    { range: f.range, version: f.version, outcome: f.outcome, command: f.command }
                ]))
            },
            location
        });
    }
});

;// CONCATENATED MODULE: ./src/checks/migration.ts
/**
 * `migration: {up, down}`: proves a migration is reversible the way a team
 * tests `alembic downgrade -1` before merging: run up, down, then up again;
 * all three must succeed (DESIGN "Pre-deployment readiness: for migrations,
 * forward and backward runs both succeed"). It stops at the first failing
 * step and reports each step's exit code and the tail of its stderr.
 */




/** The three runs, in order. */
const MIGRATION_STEPS = ['up', 'down', 'up again'];
const DEFAULT_STEP_TIMEOUT_MS = 5 * 60_000;
// What a failure at each step means for the deployment, and what to do about it.
const MEANING = {
    up: {
        what: 'the forward migration does not run',
        fix: 'fix the up migration (nothing else was tried)'
    },
    down: {
        what: 'the migration is not reversible: after it, old code cannot be brought back with its schema',
        fix: 'write or fix the down migration so it reverses up; until then a code rollback after this migration must be refused (the test database is left migrated up)'
    },
    'up again': {
        what: 'down does not leave a schema that up can start from again',
        fix: 'make down undo everything up does (tables, indexes, data, the version table), so up runs again cleanly'
    }
};
const ok = (s) => s.exitCode === 0 && !s.timedOut && !s.spawnError;
(0,validation/* registerValidation */.VV)({
    key: 'migration',
    target: s => s.up.join(' ').slice(0, 80),
    async run(spec, ctx, location) {
        const target = spec.up.join(' ').slice(0, 80);
        const stepTimeout = (0,duration/* durationMs */.pc)(spec.timeout, DEFAULT_STEP_TIMEOUT_MS);
        const steps = [];
        for (const step of MIGRATION_STEPS) {
            const argv = step === 'down' ? spec.down : spec.up;
            const left = ctx.deadline ? Math.max(1000, ctx.deadline - ctx.clock.now()) : stepTimeout;
            const r = await ctx.exec.run(argv, {
                shell: spec.shell,
                cwd: spec.cwd ? `${ctx.loaded.dir}/${spec.cwd}` : ctx.loaded.dir,
                env: {
                    ...spec.env,
                    PHASE_GATE_NAMESPACE: ctx.namespace,
                    PHASE_GATE_RUN_ID: ctx.runId,
                    PHASE_GATE_MIGRATION_STEP: step === 'down' ? 'down' : 'up'
                },
                timeoutMs: Math.min(stepTimeout, left),
                signal: ctx.signal
            });
            const outcome = {
                step,
                command: argv.join(' '),
                exitCode: r.exitCode,
                durationMs: r.durationMs,
                timedOut: r.timedOut,
                spawnError: r.spawnError,
                stderrTail: (0,checks_command/* tail */.R)(r.stderr || r.stdout, 10)
            };
            steps.push(outcome);
            if (!ok(outcome) || ctx.signal.aborted)
                break;
        }
        const failed = steps.find(s => !ok(s));
        const total = steps.reduce((n, s) => n + s.durationMs, 0);
        const how = (s) => s.spawnError
            ? `could not start: ${s.spawnError}`
            : s.timedOut
                ? `timed out after ${(0,duration/* formatDuration */.a3)(s.durationMs)}`
                : `exit ${s.exitCode}`;
        const evidence = steps
            .map(s => [
            `${ok(s) ? 'ok  ' : 'FAIL'} ${s.step}: ${how(s)} in ${(0,duration/* formatDuration */.a3)(s.durationMs)} (${s.command})`,
            s.stderrTail && indent(s.stderrTail)
        ]
            .filter(Boolean)
            .join('\n'))
            .join('\n');
        const cancelled = ctx.signal.aborted && steps.length < MIGRATION_STEPS.length;
        return (0,result/* checkResult */.iJ)('migration', target, {
            verdict: cancelled ? 'cancelled' : failed ? 'fail' : 'pass',
            message: failed
                ? `migration ${failed.step} failed (${how(failed)})${failed.step === 'up'
                    ? ''
                    : ` after ${steps
                        .filter(ok)
                        .map(s => s.step)
                        .join(', ')} succeeded`}: ${MEANING[failed.step].what}`
                : cancelled
                    ? `cancelled after ${steps.map(s => s.step).join(', ')}`
                    : `up, down and up again succeeded in ${(0,duration/* formatDuration */.a3)(total)}: the migration is reversible`,
            evidence,
            adjustment: failed ? MEANING[failed.step].fix : undefined,
            data: { steps, reversible: !failed && !cancelled },
            location
        });
    }
});
function indent(text) {
    return text
        .split('\n')
        .map(l => `     ${l}`)
        .join('\n');
}

;// CONCATENATED MODULE: ./src/checks/argocd.ts
/**
 * `argocd: {application}`: an Argo CD Application is Synced and Healthy (or
 * the statuses the check names), read from the Application's status, which
 * the Argo CD controller keeps. When it is not, the result carries what Argo CD
 * itself says: the conditions, the last sync operation and every managed
 * resource that is not Healthy or not in sync.
 */


const APPLICATION_API = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' };
/** Where Argo CD keeps Applications unless told otherwise. */
const DEFAULT_ARGOCD_NAMESPACE = 'argocd';
const str = (v) => (typeof v === 'string' && v ? v : undefined);
const rec = (v) => v && typeof v === 'object' ? v : {};
/** Reads the status fields of an Application object (missing ones are `Unknown`). */
function readArgoStatus(app) {
    const status = rec(app.status);
    const sync = rec(status.sync);
    const health = rec(status.health);
    const op = rec(status.operationState);
    return {
        sync: str(sync.status) ?? 'Unknown',
        revision: str(sync.revision),
        health: str(health.status) ?? 'Unknown',
        healthMessage: str(health.message),
        conditions: (Array.isArray(status.conditions) ? status.conditions : []).map(c => ({
            type: str(rec(c).type) ?? '?',
            message: str(rec(c).message) ?? ''
        })),
        operation: str(op.phase)
            ? { phase: str(op.phase), message: str(op.message) }
            : undefined,
        resources: (Array.isArray(status.resources) ? status.resources : []).map(r => {
            const x = rec(r);
            return {
                kind: str(x.kind) ?? '?',
                name: str(x.name) ?? '?',
                namespace: str(x.namespace),
                status: str(x.status),
                health: str(rec(x.health).status),
                message: str(rec(x.health).message)
            };
        })
    };
}
/** Managed resources that are not Healthy or not Synced (resources without a health, such as ConfigMaps, count as healthy). */
function troubledResources(s) {
    return s.resources.filter(r => (r.health !== undefined && r.health !== 'Healthy') || r.status === 'OutOfSync');
}
function describeResource(r) {
    const state = [r.health, r.status === 'OutOfSync' ? 'OutOfSync' : undefined]
        .filter(Boolean)
        .join(', ');
    return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}: ${state}${r.message ? ` (${r.message})` : ''}`;
}
/** Judges an Application's status against the wanted sync and health statuses. */
function judgeApplication(name, s, want) {
    const problems = [];
    if (s.sync !== want.sync)
        problems.push(`sync status ${s.sync}, expected ${want.sync}`);
    if (s.health !== want.health)
        problems.push(`health ${s.health}${s.healthMessage ? ` (${s.healthMessage})` : ''}, expected ${want.health}`);
    const troubled = troubledResources(s);
    const evidence = [
        `Application ${name}: sync ${s.sync}${s.revision ? ` at revision ${s.revision}` : ''}, health ${s.health}${s.healthMessage ? `: ${s.healthMessage}` : ''}`,
        ...s.conditions.map(c => `condition ${c.type}: ${c.message}`),
        ...(s.operation
            ? [
                `last operation: ${s.operation.phase}${s.operation.message ? `: ${s.operation.message}` : ''}`
            ]
            : []),
        ...(troubled.length
            ? ['resources not Healthy or not in sync:', ...troubled.map(r => `  ${describeResource(r)}`)]
            : [])
    ].join('\n');
    return { ok: problems.length === 0, problems, evidence };
}
async function readApplication(cluster, name, namespace) {
    if (!(await cluster.resourceFor(APPLICATION_API.apiVersion, APPLICATION_API.kind)))
        return 'not-served';
    return cluster.get({ ...APPLICATION_API, name, namespace });
}
(0,validation/* registerValidation */.VV)({
    key: 'argocd',
    target: s => `${s.namespace ?? DEFAULT_ARGOCD_NAMESPACE}/${s.application}`,
    async run(spec, ctx, location) {
        const namespace = spec.namespace ?? DEFAULT_ARGOCD_NAMESPACE;
        const target = `${namespace}/${spec.application}`;
        const cluster = await ctx.cluster();
        const app = await readApplication(cluster, spec.application, namespace);
        if (app === 'not-served')
            return (0,result/* checkResult */.iJ)('argocd', target, {
                verdict: 'fail',
                message: `the cluster serves no ${APPLICATION_API.kind} in ${APPLICATION_API.apiVersion}: Argo CD is not installed on ${cluster.context}`,
                adjustment: 'install Argo CD (its Application CRD), or point the check at the cluster Argo CD runs in',
                location
            });
        if (!app)
            return (0,result/* checkResult */.iJ)('argocd', target, {
                verdict: 'fail',
                message: `Argo CD Application ${target} not found`,
                adjustment: `check the name and namespace (Applications usually live in ${DEFAULT_ARGOCD_NAMESPACE}; set namespace: in the check otherwise)`,
                location
            });
        const s = readArgoStatus(app);
        const want = { sync: spec.sync ?? 'Synced', health: spec.health ?? 'Healthy' };
        const j = judgeApplication(target, s, want);
        const troubled = troubledResources(s);
        return (0,result/* checkResult */.iJ)('argocd', target, {
            verdict: j.ok ? 'pass' : 'fail',
            message: j.ok
                ? `${target} is ${s.sync} and ${s.health}${s.revision ? ` at ${s.revision.slice(0, 12)}` : ''}`
                : `${target}: ${j.problems.join('; ')}${troubled.length ? `; ${troubled.length} resource${troubled.length === 1 ? '' : 's'} not Healthy or not in sync` : ''}`,
            evidence: j.ok ? undefined : j.evidence,
            adjustment: j.ok
                ? undefined
                : s.sync === 'OutOfSync'
                    ? `sync the Application (argocd app sync ${spec.application}) or find why it drifts; the resources above differ from git`
                    : 'fix what the conditions and the resources above show, then let Argo CD sync again',
            data: {
                sync: s.sync,
                health: s.health,
                revision: s.revision,
                conditions: s.conditions,
                troubled,
                want
            },
            location
        });
    }
});

// EXTERNAL MODULE: ./src/plan/suggest.ts
var suggest = __webpack_require__(5081);
;// CONCATENATED MODULE: ./src/checks/alert-rules.ts
/**
 * `alertRules: {names}`: the alerts the runbook tells people to watch exist
 * and are loaded. Prometheus's own word comes first (`GET /api/v1/rules`: the
 * rule is loaded and healthy, and whether it fires right now); where the
 * Prometheus Operator's `PrometheusRule` CRD is served, the rule must also be
 * defined in one, and a rule defined there but absent from Prometheus is
 * named as not picked up (the operator's rule selectors). An alert already
 * firing is a warning: a deployment on top of an open alert needs a person
 * to look first.
 */





const PROMETHEUS_RULE_API = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule'
};
/** The alert names a PrometheusRule defines (`spec.groups[].rules[].alert`). */
function alertsOf(rule) {
    const groups = rule.spec?.groups ?? [];
    return groups.flatMap(g => (g.rules ?? []).map(r => r.alert).filter((a) => typeof a === 'string'));
}
/** Judges each name against what Prometheus loaded and what PrometheusRules define. */
function judgeRules(names, src) {
    const alerting = (src.loaded ?? []).filter(r => r.type === 'alerting');
    const known = [...new Set([...alerting.map(r => r.name), ...(src.defined?.keys() ?? [])])];
    return names.map((name) => {
        const loaded = alerting.filter(r => r.name === name);
        const defined = src.defined?.get(name) ?? [];
        const where = defined.length ? ` (PrometheusRule ${defined.join(', ')})` : '';
        if (loaded.length) {
            const bad = loaded.find(r => r.health === 'err');
            if (bad)
                return {
                    name,
                    verdict: 'fail',
                    message: `${name} is loaded but failing to evaluate: ${bad.lastError ?? 'health err'}`
                };
            const firing = loaded.find(r => r.state === 'firing');
            if (firing)
                return {
                    name,
                    verdict: 'warn',
                    message: `${name} is loaded and firing now (group ${firing.group})${where}`
                };
            if (src.defined && !defined.length)
                return {
                    name,
                    verdict: 'pass',
                    message: `${name} is loaded (group ${loaded[0].group}, from a rule file, not a PrometheusRule)`
                };
            return {
                name,
                verdict: 'pass',
                message: `${name} is loaded (group ${loaded[0].group}, ${loaded[0].state ?? 'inactive'})${where}`
            };
        }
        if (defined.length && src.loaded)
            return {
                name,
                verdict: 'fail',
                message: `${name} is defined in PrometheusRule ${defined.join(', ')} but Prometheus has not loaded it: check the Prometheus ruleSelector and ruleNamespaceSelector`
            };
        if (defined.length)
            return {
                name,
                verdict: 'pass',
                message: `${name} is defined in PrometheusRule ${defined.join(', ')} (whether Prometheus loaded it was not checked: ${src.prometheusNote ?? 'no Prometheus'})`
            };
        return {
            name,
            verdict: 'fail',
            message: `${name} is not ${src.loaded ? 'loaded in Prometheus' : ''}${src.loaded && src.defined ? ' nor ' : ''}${src.defined ? 'defined in any PrometheusRule' : ''}${(0,suggest/* didYouMean */.au)(name, known)}`
        };
    });
}
async function readLoaded(ctx) {
    let m;
    try {
        m = ctx.metrics();
    }
    catch (err) {
        if (err instanceof errors/* UsageError */.eb)
            return { prometheusNote: 'the plan names no Prometheus' };
        throw err;
    }
    if (!m.rules)
        return { prometheusNote: `${m.url} has no rules API`, prometheusUrl: m.url };
    try {
        return { loaded: await m.rules({ signal: ctx.signal }), prometheusUrl: m.url };
    }
    catch (err) {
        return { prometheusNote: (0,errors/* errorMessage */.gJ)(err), prometheusUrl: m.url };
    }
}
async function readDefined(cluster, namespace) {
    const served = await cluster.resourceFor(PROMETHEUS_RULE_API.apiVersion, PROMETHEUS_RULE_API.kind);
    if (!served)
        return { crdNote: 'the PrometheusRule CRD is not served' };
    const defined = new Map();
    const add = (items) => {
        for (const o of items)
            for (const a of alertsOf(o)) {
                const at = `${o.metadata.namespace}/${o.metadata.name}`;
                const list = defined.get(a) ?? [];
                if (!list.includes(at))
                    list.push(at);
                defined.set(a, list);
            }
    };
    add((await cluster.list(PROMETHEUS_RULE_API.apiVersion, PROMETHEUS_RULE_API.kind, { namespace }))
        .items);
    // Rules often live beside Prometheus in a monitoring namespace; listing them all may not be allowed.
    try {
        add((await cluster.list(PROMETHEUS_RULE_API.apiVersion, PROMETHEUS_RULE_API.kind)).items);
    }
    catch (err) {
        if (!(err instanceof types/* KubeApiError */.W3 && (err.status === 403 || err.status === 401)))
            throw err;
        return {
            defined,
            crdNote: `PrometheusRules outside ${namespace} were not readable (${err.status})`
        };
    }
    return { defined };
}
/** Runs one alertRules check. */
async function runAlertRulesCheck(spec, ctx, location) {
    const target = spec.names.join(', ');
    const [prom, crd] = await Promise.all([
        readLoaded(ctx),
        ctx.cluster().then(c => readDefined(c, ctx.namespace))
    ]);
    const src = { ...prom, ...crd };
    if (!src.loaded && !src.defined)
        return (0,result/* checkResult */.iJ)('alertRules', target, {
            verdict: 'error',
            message: `could not check the alert rules: ${src.prometheusNote ?? 'Prometheus was not asked'}, and ${src.crdNote ?? 'no PrometheusRule could be read'}`,
            adjustment: 'name the Prometheus that evaluates the alerts (prometheus: in the plan) or install the Prometheus Operator CRDs',
            location
        });
    const findings = judgeRules(spec.names, src);
    const failed = findings.filter(f => f.verdict === 'fail');
    const warned = findings.filter(f => f.verdict === 'warn');
    const verdict = failed.length ? 'fail' : warned.length ? 'warn' : 'pass';
    const all = findings.length === 1
        ? `the alert rule ${findings[0].name}`
        : `all ${findings.length} alert rules`;
    const okLine = src.loaded
        ? `${all} loaded in Prometheus ${src.prometheusUrl ?? ''}${src.defined ? ' and defined in PrometheusRules' : ''}`.replace(' in Prometheus  and', ' in Prometheus and')
        : `${all} defined in PrometheusRules (loading not checked: ${src.prometheusNote ?? 'no Prometheus'})`;
    return (0,result/* checkResult */.iJ)('alertRules', target, {
        verdict,
        message: failed.length
            ? `${failed.length} of ${findings.length} alert rule${findings.length === 1 ? '' : 's'} not ready: ${failed.map(f => f.message).join('; ')}`
            : warned.length
                ? warned.map(f => f.message).join('; ')
                : okLine,
        evidence: findings.map(f => `${f.verdict.padEnd(4)} ${f.message}`).join('\n') +
            [src.prometheusNote, src.crdNote]
                .filter(Boolean)
                .map(n => `\nnote ${n}`)
                .join(''),
        adjustment: failed.length
            ? 'load the alert rules (a rule file or a PrometheusRule Prometheus selects) before deploying: the runbook tells people to watch them'
            : warned.length
                ? 'look at the firing alert before deploying on top of it'
                : undefined,
        data: {
            findings,
            sources: { prometheus: src.prometheusUrl, prometheusRule: src.defined !== undefined },
            notes: [src.prometheusNote, src.crdNote].filter(Boolean)
        },
        location
    });
}
(0,validation/* registerValidation */.VV)({
    key: 'alertRules',
    target: s => s.names.join(', '),
    run: runAlertRulesCheck
});

;// CONCATENATED MODULE: ./src/checks/builtin.ts
/** Registers every built-in validation check kind (import for its side effect). */












/***/ }),

/***/ 9812:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   R: () => (/* binding */ tail)
/* harmony export */ });
/* harmony import */ var _core_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8571);
/* harmony import */ var _result_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7076);
/* harmony import */ var _validation_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1646);
/** `command`: runs an argv (no shell unless asked) with a timeout; judged on exit code and an output pattern. */



/** The last lines of a text, for evidence. */
function tail(text, lines = 20) {
    return text.trimEnd().split('\n').slice(-lines).join('\n');
}
(0,_validation_js__WEBPACK_IMPORTED_MODULE_2__/* .registerValidation */ .VV)({
    key: 'command',
    target: s => s.run.join(' ').slice(0, 80),
    async run(spec, ctx, location) {
        const target = spec.run.join(' ').slice(0, 80);
        const timeoutMs = (0,_core_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .durationMs */ .pc)(spec.timeout, 60_000);
        const r = await ctx.exec.run(spec.run, {
            shell: spec.shell,
            cwd: spec.cwd ? `${ctx.loaded.dir}/${spec.cwd}` : ctx.loaded.dir,
            env: {
                // The plan's commands (kubectl, helm) reach the cluster the gate reaches: in CI the
                // kubeconfig input lives only in the gate's private temp file.
                ...(ctx.settings.kubeconfig.kind === 'path'
                    ? { KUBECONFIG: ctx.settings.kubeconfig.path }
                    : {}),
                ...spec.env,
                PHASE_GATE_NAMESPACE: ctx.namespace,
                PHASE_GATE_RUN_ID: ctx.runId
            },
            timeoutMs,
            signal: ctx.signal
        });
        const wantExit = spec.expect?.exitCode ?? 0;
        const problems = [];
        if (r.spawnError)
            problems.push(`could not start ${spec.run[0]}: ${r.spawnError}`);
        else if (r.timedOut)
            problems.push(`timed out after ${timeoutMs} ms`);
        else if (r.exitCode !== wantExit)
            problems.push(`exit code ${r.exitCode}, expected ${wantExit}`);
        if (!r.spawnError &&
            spec.expect?.output &&
            !new RegExp(spec.expect.output, 'm').test(r.stdout + r.stderr))
            problems.push(`output does not match /${spec.expect.output}/`);
        return (0,_result_js__WEBPACK_IMPORTED_MODULE_1__/* .checkResult */ .iJ)('command', target, {
            verdict: problems.length ? 'fail' : 'pass',
            message: problems.length ? problems.join('; ') : `exit ${r.exitCode} in ${r.durationMs} ms`,
            evidence: problems.length
                ? [r.stderr && `stderr:\n${tail(r.stderr)}`, r.stdout && `stdout:\n${tail(r.stdout)}`]
                    .filter(Boolean)
                    .join('\n')
                : undefined,
            data: { exitCode: r.exitCode, durationMs: r.durationMs },
            location
        });
    }
});


/***/ }),

/***/ 4505:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   FK: () => (/* binding */ describeManifest),
/* harmony export */   MW: () => (/* binding */ findResource),
/* harmony export */   V0: () => (/* binding */ records),
/* harmony export */   gx: () => (/* binding */ str),
/* harmony export */   u4: () => (/* binding */ isRecord),
/* harmony export */   v8: () => (/* binding */ describeObject),
/* harmony export */   zW: () => (/* binding */ manifestLocation)
/* harmony export */ });
/* harmony import */ var _kube_types_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6384);
/** Where a manifest object came from and how the server serves it, for findings that point at manifests. */

/** The manifest object's place in its file, with an optional field path inside the object. */
function manifestLocation(m, path) {
    const loc = { file: m.file, line: m.line, column: m.column };
    const p = path
        ? `${m.object.kind}/${m.object.metadata.name} ${path}`
        : `${m.object.kind}/${m.object.metadata.name}`;
    loc.path = p;
    return loc;
}
/** `Deployment web (deploy/app.yaml:3)`: the object and where it is written. */
function describeManifest(m) {
    return `${describeObject(m.object)} (${m.file}:${m.line})`;
}
/** `Deployment web` or `Deployment other-ns/web` when the manifest names a namespace. */
function describeObject(obj) {
    const ns = obj.metadata.namespace;
    return `${obj.kind} ${ns ? `${ns}/` : ''}${obj.metadata.name}`;
}
/** The served resource for an apiVersion and kind, from discovery already made (no request). */
function findResource(surface, apiVersion, kind) {
    const { group, version } = (0,_kube_types_js__WEBPACK_IMPORTED_MODULE_0__/* .splitApiVersion */ .Np)(apiVersion);
    return surface.resources.find(r => r.group === group && r.version === version && r.kind === kind);
}
/** True for a plain object (YAML mappings), as opposed to lists, scalars and null. */
function isRecord(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/** The mappings of a YAML list; anything else is an empty list (schema validation reports it, not us). */
function records(v) {
    return Array.isArray(v) ? v.filter(isRecord) : [];
}
/** A string field, or undefined when absent or not a string. */
function str(v) {
    return typeof v === 'string' ? v : undefined;
}


/***/ }),

/***/ 1731:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $8: () => (/* binding */ describePhase),
/* harmony export */   OT: () => (/* binding */ loadPlanObjects),
/* harmony export */   g3: () => (/* binding */ planCreations),
/* harmony export */   hU: () => (/* binding */ phaseOf)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/* harmony import */ var _plan_manifests_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1553);
/* harmony import */ var _manifest_info_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4505);
/**
 * The objects a plan's tracers and phases apply (beside `assumptions.manifests`),
 * loaded once per plan, and what the plan itself creates that later objects
 * depend on: Namespaces and CustomResourceDefinitions.
 */



const cache = new WeakMap();
/** Loads the tracers' and phases' manifests once per loaded plan (kinds share the promise). */
function loadPlanObjects(loaded, workspace) {
    let p = cache.get(loaded);
    if (!p) {
        p = load(loaded, workspace);
        cache.set(loaded, p);
    }
    return p;
}
async function load(loaded, workspace) {
    const problems = [];
    const tracers = await Promise.all((loaded.plan.tracers ?? []).map(async (t, index) => {
        const location = loaded.locate(['tracers', index, 'manifest']);
        let manifests = [];
        try {
            if (t.manifest.inline !== undefined) {
                // Lines inside an inline block count from the line after `inline: |`.
                const at = loaded.locate(['tracers', index, 'manifest', 'inline']);
                manifests = (0,_plan_manifests_js__WEBPACK_IMPORTED_MODULE_1__/* .parseManifests */ .Ye)(t.manifest.inline, loaded.displayFile).map(m => ({
                    ...m,
                    line: m.line + at.line
                }));
            }
            else if (t.manifest.file) {
                const files = await (0,_plan_manifests_js__WEBPACK_IMPORTED_MODULE_1__/* .expandManifestPaths */ .ov)(loaded, [t.manifest.file], `tracers[${index}].manifest.file`);
                manifests = await (0,_plan_manifests_js__WEBPACK_IMPORTED_MODULE_1__/* .loadManifestFiles */ .Le)(loaded, files, workspace);
            }
        }
        catch (err) {
            problems.push(`tracer ${t.name}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`);
        }
        return { unit: 'tracer', name: t.name, index, manifests, location };
    }));
    const phases = await Promise.all((loaded.plan.phases ?? []).map(async (p, index) => {
        const location = loaded.locate(['phases', index, 'apply']);
        let manifests = [];
        try {
            if (p.apply?.length) {
                const files = await (0,_plan_manifests_js__WEBPACK_IMPORTED_MODULE_1__/* .expandManifestPaths */ .ov)(loaded, p.apply, `phases[${index}].apply`);
                manifests = await (0,_plan_manifests_js__WEBPACK_IMPORTED_MODULE_1__/* .loadManifestFiles */ .Le)(loaded, files, workspace);
            }
        }
        catch (err) {
            problems.push(`phase ${p.name}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`);
        }
        return { unit: 'phase', name: p.name, index, manifests, location };
    }));
    return { tracers, phases, problems };
}
/** Indexes what the phases (then the assumed manifests) create; the earliest phase wins. */
function planCreations(objects, assumed) {
    const namespaces = new Map();
    const crds = new Map();
    const visit = (manifest, phase) => {
        const object = manifest.object;
        if (object.kind === 'Namespace' && object.apiVersion === 'v1') {
            if (!namespaces.has(object.metadata.name))
                namespaces.set(object.metadata.name, { object, manifest, phase });
        }
        else if (object.kind === 'CustomResourceDefinition' &&
            object.apiVersion.startsWith('apiextensions.k8s.io/')) {
            const spec = (0,_manifest_info_js__WEBPACK_IMPORTED_MODULE_2__/* .isRecord */ .u4)(object.spec) ? object.spec : {};
            const names = (0,_manifest_info_js__WEBPACK_IMPORTED_MODULE_2__/* .isRecord */ .u4)(spec.names) ? spec.names : {};
            const group = (0,_manifest_info_js__WEBPACK_IMPORTED_MODULE_2__/* .str */ .gx)(spec.group);
            const kind = (0,_manifest_info_js__WEBPACK_IMPORTED_MODULE_2__/* .str */ .gx)(names.kind);
            if (!group || !kind)
                return;
            const key = `${group}/${kind}`;
            if (crds.has(key))
                return;
            crds.set(key, {
                object,
                manifest,
                phase,
                group,
                kind,
                plural: (0,_manifest_info_js__WEBPACK_IMPORTED_MODULE_2__/* .str */ .gx)(names.plural) ?? `${kind.toLowerCase()}s`,
                namespaced: spec.scope !== 'Cluster',
                versions: (0,_manifest_info_js__WEBPACK_IMPORTED_MODULE_2__/* .records */ .V0)(spec.versions)
                    .filter(v => v.served !== false)
                    .map(v => (0,_manifest_info_js__WEBPACK_IMPORTED_MODULE_2__/* .str */ .gx)(v.name))
                    .filter((v) => v !== undefined)
            });
        }
    };
    for (const p of objects.phases)
        for (const m of p.manifests)
            visit(m, p);
    for (const m of assumed)
        visit(m, phaseOf(objects, m));
    return { namespaces, crds };
}
/** The first phase that applies the same object from the same file, if any. */
function phaseOf(objects, m) {
    return objects.phases.find(p => p.manifests.some(x => x.file === m.file &&
        x.object.kind === m.object.kind &&
        x.object.metadata.name === m.object.metadata.name &&
        x.object.metadata.namespace === m.object.metadata.namespace));
}
/** `phase 2 (database)`, as findings name phases (1-based, as people count). */
function describePhase(p) {
    return `${p.unit} ${p.index + 1} (${p.name})`;
}


/***/ }),

/***/ 5568:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D0: () => (/* binding */ podTemplateOf),
/* harmony export */   Mz: () => (/* binding */ containersOf),
/* harmony export */   RL: () => (/* binding */ podCount)
/* harmony export */ });
/* unused harmony export WORKLOAD_KINDS */
/* harmony import */ var _manifest_info_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4505);
/**
 * The pod specs inside workload manifests (Pod, Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and look-alikes
 * with `spec.template.spec.containers`), with the field path of each, and
 * how many pods each workload asks for at once.
 */

/** The kinds whose pod specs Pod Security admission evaluates (pod-security-admission's PodSpecExtractor). */
const WORKLOAD_KINDS = new Set([
    'Pod',
    'Deployment',
    'StatefulSet',
    'DaemonSet',
    'ReplicaSet',
    'ReplicationController',
    'Job',
    'CronJob',
    'PodTemplate'
]);
/** The pod spec of a Pod, a workload's template or a CronJob's job template; undefined for other objects. */
function podTemplateOf(obj) {
    if (obj.kind === 'Pod') {
        return (0,_manifest_info_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(obj.spec)
            ? { spec: obj.spec, path: 'spec', metadata: metaOf(obj.metadata) }
            : undefined;
    }
    if (obj.kind === 'PodTemplate') {
        const tpl = obj.template;
        return (0,_manifest_info_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(tpl) && (0,_manifest_info_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(tpl.spec)
            ? { spec: tpl.spec, path: 'template.spec', metadata: metaOf(tpl.metadata) }
            : undefined;
    }
    const spec = (0,_manifest_info_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(obj.spec) ? obj.spec : undefined;
    if (!spec)
        return undefined;
    if (obj.kind === 'CronJob') {
        const job = (0,_manifest_info_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(spec.jobTemplate) && (0,_manifest_info_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(spec.jobTemplate.spec)
            ? spec.jobTemplate.spec
            : undefined;
        const tpl = job && (0,_manifest_info_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(job.template) ? job.template : undefined;
        return tpl && (0,_manifest_info_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(tpl.spec)
            ? {
                spec: tpl.spec,
                path: 'spec.jobTemplate.spec.template.spec',
                metadata: metaOf(tpl.metadata)
            }
            : undefined;
    }
    const tpl = (0,_manifest_info_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(spec.template) ? spec.template : undefined;
    // Built-in workloads, and look-alikes (Argo Rollouts, DeploymentConfigs) that embed a pod template.
    if (!tpl || !(0,_manifest_info_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(tpl.spec) || !Array.isArray(tpl.spec.containers))
        return undefined;
    return { spec: tpl.spec, path: 'spec.template.spec', metadata: metaOf(tpl.metadata) };
}
function metaOf(m) {
    const r = (0,_manifest_info_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(m) ? m : {};
    return { labels: stringMap(r.labels), annotations: stringMap(r.annotations) };
}
function stringMap(v) {
    const out = {};
    if ((0,_manifest_info_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(v))
        for (const [k, x] of Object.entries(v))
            if (typeof x === 'string')
                out[k] = x;
    return out;
}
/** Every container of a pod template: init containers, containers, ephemeral containers. */
function containersOf(t) {
    const out = [];
    for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
        (0,_manifest_info_js__WEBPACK_IMPORTED_MODULE_0__/* .records */ .V0)(t.spec[list]).forEach((container, index) => {
            out.push({
                container,
                list,
                index,
                path: `${t.path}.${list}[${index}]`,
                name: typeof container.name === 'string' ? container.name : `${list}[${index}]`,
                sidecar: list === 'initContainers' && container.restartPolicy === 'Always'
            });
        });
    }
    return out;
}
/**
 * Pods a workload runs at once: replicas for Deployments, StatefulSets and
 * ReplicaSets, parallelism for Jobs and CronJobs, one per node for DaemonSets.
 */
function podCount(obj, nodes = 1) {
    const spec = (0,_manifest_info_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(obj.spec) ? obj.spec : {};
    const int = (v, dflt) => typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : dflt;
    switch (obj.kind) {
        case 'Pod':
            return 1;
        case 'DaemonSet':
            return nodes;
        case 'Job': {
            const parallelism = int(spec.parallelism, 1);
            const completions = spec.completions === undefined || spec.completions === null
                ? parallelism
                : int(spec.completions, 1);
            return Math.min(parallelism, completions);
        }
        case 'CronJob': {
            const job = (0,_manifest_info_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(spec.jobTemplate) && (0,_manifest_info_js__WEBPACK_IMPORTED_MODULE_0__/* .isRecord */ .u4)(spec.jobTemplate.spec) ? spec.jobTemplate.spec : {};
            const parallelism = int(job.parallelism, 1);
            const completions = job.completions === undefined || job.completions === null
                ? parallelism
                : int(job.completions, 1);
            return Math.min(parallelism, completions);
        }
        case 'PodTemplate':
            return 0;
        default:
            return int(spec.replicas, 1);
    }
}


/***/ }),

/***/ 1646:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   VV: () => (/* binding */ registerValidation),
/* harmony export */   s8: () => (/* binding */ runValidations)
/* harmony export */ });
/* unused harmony exports validationKinds, runValidation */
/* harmony import */ var _result_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7076);
/**
 * Validation checks (the kinds a phase's `validate`, `validation.checks` and
 * rollout `infra` steps use): one module per kind, picked by the spec's key.
 */

const registry = new Map();
/** Registers a validation check kind (each kind's module calls this once). */
function registerValidation(check) {
    registry.set(check.key, check);
}
/** The kinds registered so far. */
function validationKinds() {
    return [...registry.keys()];
}
/** Runs one check spec; a kind not known (or not built yet) is an error result, not a crash. */
async function runValidation(spec, ctx, location) {
    const key = Object.keys(spec)[0];
    const body = spec[key];
    const check = registry.get(key);
    if (!check)
        return (0,_result_js__WEBPACK_IMPORTED_MODULE_0__/* .checkResult */ .iJ)(key, key, {
            verdict: 'error',
            message: `check kind "${key}" is not available in this version of phase-gate (available: ${validationKinds().join(', ')})`,
            location
        });
    const [r] = await (0,_result_js__WEBPACK_IMPORTED_MODULE_0__/* .timed */ .ay)(key, check.target(body), () => check.run(body, ctx, location), location);
    return r;
}
/** Runs a list of checks concurrently, each located at `basePath[i]` in the plan. */
async function runValidations(specs, ctx, basePath) {
    return Promise.all(specs.map((s, i) => runValidation(s, ctx, ctx.loaded.locate([...basePath, i]))));
}


/***/ }),

/***/ 4645:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   RC: () => (/* binding */ parseRange),
/* harmony export */   ib: () => (/* binding */ satisfies),
/* harmony export */   ot: () => (/* binding */ parseVersion)
/* harmony export */ });
/* unused harmony export compareVersions */
/**
 * Simple semver comparison for `operators[].version`: `>=1.20`, `<2`,
 * `^1.2`, `~1.2.3`, `1.2.x`, `1.2.3`, `>=1.2 <2`, `A - B` and `||`. A leading
 * `v` is ignored; missing minor/patch parts count as 0 (or as a wildcard in an
 * exact comparator). Pre-releases sort before their release.
 */
const VERSION_RE = /^v?(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;
function parsePartial(text) {
    const m = VERSION_RE.exec(text.trim());
    if (!m)
        return undefined;
    const part = (s) => s === undefined || /^[xX*]$/.test(s) ? undefined : Number(s);
    const minor = part(m[2]);
    return {
        major: Number(m[1]),
        minor,
        patch: minor === undefined ? undefined : part(m[3]),
        prerelease: m[4] ? m[4].split('.') : []
    };
}
/** A version from text such as `1.2.3`, `v1.20`, `1.25.3-alpine`; undefined when it has no leading number. */
function parseVersion(text) {
    const p = parsePartial(text);
    if (!p)
        return undefined;
    return { major: p.major, minor: p.minor ?? 0, patch: p.patch ?? 0, prerelease: p.prerelease };
}
/** Negative, zero or positive as `a` sorts before, with or after `b` (semver precedence). */
function compareVersions(a, b) {
    for (const k of ['major', 'minor', 'patch'])
        if (a[k] !== b[k])
            return a[k] - b[k];
    if (a.prerelease.length === 0 || b.prerelease.length === 0)
        return b.prerelease.length - a.prerelease.length;
    for (let i = 0; i < Math.max(a.prerelease.length, b.prerelease.length); i++) {
        const x = a.prerelease[i];
        const y = b.prerelease[i];
        if (x === undefined)
            return -1;
        if (y === undefined)
            return 1;
        const nx = /^\d+$/.test(x);
        const ny = /^\d+$/.test(y);
        if (nx && ny && Number(x) !== Number(y))
            return Number(x) - Number(y);
        if (nx !== ny)
            return nx ? -1 : 1;
        if (x !== y)
            return x < y ? -1 : 1;
    }
    return 0;
}
const v = (major, minor = 0, patch = 0) => ({
    major,
    minor,
    patch,
    prerelease: []
});
const lower = (p) => ({
    major: p.major,
    minor: p.minor ?? 0,
    patch: p.patch ?? 0,
    prerelease: p.prerelease
});
// The first version above every version the partial matches (1.2 → 1.3.0, 1 → 2.0.0).
const upper = (p) => p.minor === undefined
    ? v(p.major + 1)
    : p.patch === undefined
        ? v(p.major, p.minor + 1)
        : v(p.major, p.minor, p.patch + 1);
const ge = (x) => y => compareVersions(y, x) >= 0;
const lt = (x) => y => compareVersions(y, x) < 0;
function comparator(text) {
    const m = /^(>=|<=|>|<|=|\^|~)?\s*(.+)$/.exec(text);
    if (!m)
        return undefined;
    const [, op = '', rest] = m;
    if (/^[xX*]$/.test(rest))
        return () => true;
    const p = parsePartial(rest);
    if (!p)
        return undefined;
    switch (op) {
        case '>=':
            return ge(lower(p));
        case '>':
            return p.patch === undefined ? ge(upper(p)) : y => compareVersions(y, lower(p)) > 0;
        case '<':
            return lt(lower(p));
        case '<=':
            return p.patch === undefined ? lt(upper(p)) : y => compareVersions(y, lower(p)) <= 0;
        case '^': {
            // Caret allows changes that do not modify the left-most non-zero part.
            const hi = p.major > 0 || p.minor === undefined
                ? v(p.major + 1)
                : p.minor > 0 || p.patch === undefined
                    ? v(0, p.minor + 1)
                    : v(0, 0, (p.patch ?? 0) + 1);
            return y => ge(lower(p))(y) && lt(hi)(y);
        }
        case '~': {
            const hi = p.minor === undefined ? v(p.major + 1) : v(p.major, p.minor + 1);
            return y => ge(lower(p))(y) && lt(hi)(y);
        }
        default:
            // An exact comparator with missing parts is a wildcard range (1.2 = 1.2.x).
            if (p.patch === undefined)
                return y => ge(lower(p))(y) && lt(upper(p))(y);
            return y => compareVersions(y, lower(p)) === 0;
    }
}
/** The range as a predicate, or undefined when it does not parse. */
function parseRange(range) {
    const alternatives = [];
    for (const alt of range.split('||')) {
        const text = alt.trim().replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1');
        const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
        const parts = [];
        if (hyphen) {
            const a = comparator(`>=${hyphen[1]}`);
            const b = comparator(`<=${hyphen[2]}`);
            if (!a || !b)
                return undefined;
            parts.push(a, b);
        }
        else {
            for (const token of text.split(/[\s,]+/).filter(Boolean)) {
                const c = comparator(token);
                if (!c)
                    return undefined;
                parts.push(c);
            }
        }
        if (parts.length === 0)
            return undefined;
        alternatives.push(y => parts.every(c => c(y)));
    }
    return y => alternatives.some(c => c(y));
}
/** True/false when `version` satisfies `range`; undefined when either does not parse. */
function satisfies(version, range) {
    const ver = parseVersion(version);
    const pred = parseRange(range);
    if (!ver || !pred)
        return undefined;
    return pred(ver);
}


/***/ }),

/***/ 8389:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  w: () => (/* binding */ ALL_SEQUENCE),
  gateFor: () => (/* binding */ gateFor)
});

// EXTERNAL MODULE: ./src/checks/result.ts
var checks_result = __webpack_require__(7076);
// EXTERNAL MODULE: ./src/kube/types.ts
var types = __webpack_require__(6384);
;// CONCATENATED MODULE: ./src/checks/namespace.ts
/** The target namespace exists, or this identity may create it. */


const namespaceCheck = {
    kind: 'namespace',
    applies: () => true,
    async run(ctx) {
        const ns = ctx.namespace;
        const location = ctx.loaded.locate(['target', 'namespace']);
        const started = performance.now();
        const took = () => performance.now() - started;
        try {
            const obj = await ctx.cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: ns });
            if (obj) {
                const phase = obj.status?.phase;
                if (phase === 'Terminating')
                    return [
                        (0,checks_result/* checkResult */.iJ)('namespace', ns, {
                            verdict: 'fail',
                            message: `namespace ${ns} is being deleted (Terminating)`,
                            adjustment: 'wait for the deletion to finish, then re-run, or deploy to another namespace',
                            location,
                            durationMs: took()
                        })
                    ];
                const labels = obj.metadata.labels ?? {};
                const psa = labels['pod-security.kubernetes.io/enforce'];
                return [
                    (0,checks_result/* checkResult */.iJ)('namespace', ns, {
                        verdict: 'pass',
                        message: `namespace ${ns} exists${psa ? ` (Pod Security: ${psa})` : ''}`,
                        data: { exists: true, podSecurity: psa },
                        location,
                        durationMs: took()
                    })
                ];
            }
            const create = await ctx.cluster.accessReview({
                verb: 'create',
                group: '',
                resource: 'namespaces'
            });
            return [
                (0,checks_result/* checkResult */.iJ)('namespace', ns, {
                    verdict: create.allowed ? 'warn' : 'fail',
                    severity: create.allowed ? 'low' : 'high',
                    message: create.allowed
                        ? `namespace ${ns} does not exist yet; this identity may create it`
                        : `namespace ${ns} does not exist and this identity may not create it`,
                    adjustment: create.allowed
                        ? `create it in the first phase (a Namespace manifest), or ahead of the deployment`
                        : `ask a cluster admin to create namespace ${ns} and grant this identity edit rights in it`,
                    data: { exists: false, mayCreate: create.allowed },
                    location,
                    durationMs: took()
                })
            ];
        }
        catch (err) {
            if (err instanceof types/* KubeApiError */.W3 && err.status === 403) {
                // Namespace-scoped identities often may not read Namespace objects; their
                // rights inside the namespace are what matters and the permission check covers them.
                const inside = await ctx.cluster.accessReview({
                    verb: 'list',
                    group: '',
                    resource: 'pods',
                    namespace: ns
                });
                return [
                    (0,checks_result/* checkResult */.iJ)('namespace', ns, {
                        verdict: inside.allowed ? 'warn' : 'fail',
                        severity: inside.allowed ? 'low' : 'high',
                        message: inside.allowed
                            ? `cannot read namespace ${ns} itself (forbidden), but this identity has rights inside it`
                            : `this identity may neither read namespace ${ns} nor work inside it`,
                        evidence: err.message,
                        adjustment: inside.allowed
                            ? undefined
                            : `grant this identity a Role in ${ns} (edit, or the rules the permission check lists)`,
                        location,
                        durationMs: took()
                    })
                ];
            }
            throw err;
        }
    }
};

;// CONCATENATED MODULE: ./src/checks/api.ts
/** `assumptions.apis`: each group/version/Kind is served; when not, name what is. */


/** Splits `apps/v1/Deployment` or `v1/ConfigMap` into group, version and kind. */
function parseApiAssumption(text) {
    const parts = text.split('/');
    if (parts.length === 2)
        return { group: '', version: parts[0], kind: parts[1] };
    if (parts.length === 3)
        return { group: parts[0], version: parts[1], kind: parts[2] };
    return undefined;
}
/** Judges one assumed API against the discovered surface. */
function judgeApi(text, surface) {
    const a = parseApiAssumption(text);
    if (!a)
        return {
            verdict: 'fail',
            message: `"${text}" is not an API of the form group/version/Kind (or v1/Kind for the core group)`,
            adjustment: 'write it like apps/v1/Deployment or v1/ConfigMap'
        };
    const exact = surface.resources.find(r => r.group === a.group && r.version === a.version && r.kind === a.kind);
    const gv = (0,types/* joinApiVersion */.fJ)(a.group, a.version);
    if (exact)
        return {
            verdict: 'pass',
            message: `${a.kind} is served at ${gv} (${exact.resource}, ${exact.namespaced ? 'namespaced' : 'cluster-scoped'})`,
            data: { resource: exact.resource, namespaced: exact.namespaced }
        };
    const sameKind = surface.resources.filter(r => r.group === a.group && r.kind === a.kind);
    if (sameKind.length > 0) {
        const versions = sameKind.map(r => (0,types/* joinApiVersion */.fJ)(r.group, r.version));
        const preferred = surface.groups.get(a.group)?.preferred;
        const best = sameKind.find(r => r.version === preferred) ?? sameKind[0];
        return {
            verdict: 'fail',
            message: `${a.kind} is not served at ${gv}; this cluster serves it at ${versions.join(', ')}`,
            evidence: `served versions of group ${a.group || 'core'}: ${(surface.groups.get(a.group)?.versions ?? []).join(', ')}`,
            adjustment: `change the plan and manifests to ${(0,types/* joinApiVersion */.fJ)(best.group, best.version)}/${a.kind}`,
            data: { served: versions }
        };
    }
    const otherGroups = surface.resources.filter(r => r.kind === a.kind);
    if (otherGroups.length > 0) {
        const where = [...new Set(otherGroups.map(r => (0,types/* joinApiVersion */.fJ)(r.group, r.version)))];
        return {
            verdict: 'fail',
            message: `${a.kind} is not served in group ${a.group || 'core'}; a ${a.kind} is served at ${where.join(', ')}`,
            adjustment: `use ${where[0]}/${a.kind}, or install the operator or CRD that serves ${gv}`,
            data: { served: where }
        };
    }
    const group = surface.groups.get(a.group);
    return {
        verdict: 'fail',
        message: group
            ? `${a.kind} is not served: group ${a.group || 'core'} (${group.versions.join(', ')}) has no such kind`
            : `${gv} is not served: this cluster has no API group ${a.group}`,
        adjustment: group
            ? `check the kind's spelling (kinds are case-sensitive) or install the CRD that defines it`
            : `install the CRD or operator that provides ${a.group} before this deployment, or drop the assumption`
    };
}
const apiCheck = {
    kind: 'api',
    applies: ctx => (ctx.loaded.plan.assumptions?.apis?.length ?? 0) > 0,
    async run(ctx) {
        const apis = ctx.loaded.plan.assumptions?.apis ?? [];
        return apis.map((text, i) => (0,checks_result/* checkResult */.iJ)('api', text, {
            ...judgeApi(text, ctx.surface),
            severity: 'high',
            location: ctx.loaded.locate(['assumptions', 'apis', i])
        }));
    }
};

// EXTERNAL MODULE: ./src/core/errors.ts
var core_errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/registry/reference.ts
var reference = __webpack_require__(9310);
;// CONCATENATED MODULE: ./src/checks/image.ts
/**
 * The `image` assumption: every image the plan names or its manifests run is
 * pullable, offers the platform asked, and is not larger than allowed. The
 * registry is asked from the runner; the tracer proves the pull from a node.
 */



const KIND = 'image';
/** The size above which an image is a warning when the plan sets no `maxSize` (500 MB). */
const DEFAULT_MAX_IMAGE_BYTES = 500_000_000;
const UNITS = {
    '': 1,
    b: 1,
    k: 1e3,
    kb: 1e3,
    m: 1e6,
    mb: 1e6,
    g: 1e9,
    gb: 1e9,
    t: 1e12,
    tb: 1e12,
    ki: 1024,
    kib: 1024,
    mi: 1024 ** 2,
    mib: 1024 ** 2,
    gi: 1024 ** 3,
    gib: 1024 ** 3,
    ti: 1024 ** 4,
    tib: 1024 ** 4
};
/** Bytes of a size string (`500MB` decimal, `1.5GiB`/`200Mi` binary, a bare number is bytes), or undefined. */
function parseSize(text) {
    if (text === undefined)
        return undefined;
    if (typeof text === 'number')
        return Number.isFinite(text) && text >= 0 ? text : undefined;
    const m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(text.trim());
    if (!m)
        return undefined;
    const unit = UNITS[m[2].toLowerCase()];
    if (unit === undefined)
        return undefined;
    return Math.round(Number(m[1]) * unit);
}
/** Megabytes (10^6 bytes), as registries show sizes; kilobytes below 1 MB. */
function formatMegabytes(bytes) {
    if (bytes < 1e6)
        return `${(bytes / 1e3).toFixed(1)} kB`;
    const mb = bytes / 1e6;
    return `${mb < 10 ? mb.toFixed(2) : mb.toFixed(1)} MB`;
}
/** True when an image on `registry`/`repository` is allowed by the list (empty list: all are). */
function registryAllowed(ref, allow) {
    if (!allow || allow.length === 0)
        return true;
    const full = `${ref.registry}/${ref.repository}`;
    return allow.some(raw => {
        const entry = raw.trim().replace(/\/+$/, '');
        if (entry === '')
            return false;
        if (entry.startsWith('*.')) {
            const host = ref.registry.replace(/:\d+$/, '');
            return host.endsWith(entry.slice(1)) && host.length > entry.length - 1;
        }
        const normal = entry === 'index.docker.io' ? 'docker.io' : entry;
        return normal === ref.registry || full === normal || full.startsWith(`${normal}/`);
    });
}
/** The tag closest to `wanted` by edit distance (ties: the later one in sort order, usually newer). */
function closestTag(wanted, tags) {
    let best;
    for (const tag of [...tags].sort()) {
        const d = editDistance(wanted, tag);
        if (!best || d <= best.d)
            best = { tag, d };
    }
    return best?.tag;
}
/** Checks every distinct image, at most `concurrency` at once; one CheckResult per image. */
async function checkImages(input) {
    const groups = groupImages(input.images);
    return mapLimit(groups, input.concurrency ?? 16, async (g) => {
        try {
            return await checkOne(g, input);
        }
        catch (err) {
            if (input.signal?.aborted)
                throw err;
            const target = g.ref ? (0,reference/* formatReference */.FH)(g.ref, { familiar: true }) : g.text;
            return (0,checks_result/* errorResult */.WG)(KIND, target, err, g.location);
        }
    });
}
/** The `image` kind of the reality check: images from `assumptions.images` and the manifests' pod specs. */
const imageCheck = {
    kind: KIND,
    applies: ctx => (ctx.loaded.plan.assumptions?.images?.length ?? 0) > 0 ||
        imagesOfManifests(ctx.manifests).length > 0,
    async run(ctx) {
        const images = (ctx.loaded.plan.assumptions?.images ?? []).map((a, i) => {
            const location = ctx.loaded.locate(['assumptions', 'images', i]);
            return typeof a === 'string'
                ? { ref: a, source: 'assumption', location }
                : { ...a, source: 'assumption', location };
        });
        images.push(...imagesOfManifests(ctx.manifests));
        const settings = ctx.loaded.plan.registries;
        return checkImages({
            images,
            registry: ctx.registry(),
            allow: settings?.allow,
            mirrors: { ...settings?.mirrors, ...ctx.settings.mirrors },
            signal: ctx.signal
        });
    }
};
/** Every container and init container image of the pod specs in the manifests, located in their files. */
function imagesOfManifests(manifests) {
    const out = [];
    for (const m of manifests) {
        const spec = podSpecOf(m.object);
        if (!spec)
            continue;
        for (const field of ['initContainers', 'containers']) {
            const list = spec[field];
            if (!Array.isArray(list))
                continue;
            list.forEach((c, i) => {
                if (!isRecord(c) || typeof c.image !== 'string' || c.image === '')
                    return;
                out.push({
                    ref: c.image,
                    source: 'manifest',
                    location: {
                        file: m.file,
                        line: m.line,
                        column: m.column,
                        path: `${m.object.kind}/${m.object.metadata.name} ${field}[${i}].image`
                    }
                });
            });
        }
    }
    return out;
}
/** The pod spec of a Pod, a workload's template, or a CronJob's job template. */
function podSpecOf(obj) {
    const spec = isRecord(obj.spec) ? obj.spec : undefined;
    if (!spec)
        return undefined;
    if (obj.kind === 'Pod')
        return spec;
    if (obj.kind === 'CronJob') {
        const job = isRecord(spec.jobTemplate) ? spec.jobTemplate.spec : undefined;
        const tpl = isRecord(job) ? job.template : undefined;
        return isRecord(tpl) && isRecord(tpl.spec) ? tpl.spec : undefined;
    }
    // Deployments, StatefulSets, DaemonSets, Jobs, ReplicaSets and look-alikes (Rollouts, DeploymentConfigs).
    const tpl = spec.template;
    return isRecord(tpl) && isRecord(tpl.spec) && Array.isArray(tpl.spec.containers)
        ? tpl.spec
        : undefined;
}
// One group per image (however it is spelled); assumptions' locations win
// because that is where a person adjusts platform and size.
function groupImages(images) {
    const groups = new Map();
    for (const img of images) {
        let ref;
        let parseError;
        try {
            ref = (0,reference/* parseImageReference */.o_)(img.ref);
        }
        catch (err) {
            parseError = (0,core_errors/* errorMessage */.gJ)(err);
        }
        const key = ref ? (0,reference/* formatReference */.FH)(withDefaultTag(ref)) : `invalid:${img.ref}`;
        let g = groups.get(key);
        if (!g) {
            g = { key, text: img.ref, ref, parseError, platforms: [], maxSizes: [], sources: new Set() };
            groups.set(key, g);
        }
        g.sources.add(img.source);
        if (img.platform && !g.platforms.includes(img.platform))
            g.platforms.push(img.platform);
        if (img.maxSize)
            g.maxSizes.push(img.maxSize);
        if (img.location &&
            (!g.location || (img.source === 'assumption' && !isAssumptionLocation(g)))) {
            g.location = img.location;
        }
    }
    return [...groups.values()];
}
function isAssumptionLocation(g) {
    return g.location?.path?.startsWith('assumptions') ?? false;
}
function withDefaultTag(ref) {
    return ref.tag || ref.digest ? ref : { ...ref, tag: 'latest' };
}
async function checkOne(g, input) {
    const started = performance.now();
    const took = () => performance.now() - started;
    const target = g.ref ? (0,reference/* formatReference */.FH)(g.ref, { familiar: true }) : g.text;
    const base = { location: g.location };
    if (!g.ref) {
        return (0,checks_result/* checkResult */.iJ)(KIND, target, {
            ...base,
            verdict: 'fail',
            severity: 'high',
            message: g.parseError ?? `invalid image reference "${g.text}"`,
            adjustment: 'fix the image reference: [registry[:port]/]repository[:tag][@sha256:digest], repository in lowercase',
            durationMs: took()
        });
    }
    const ref = g.ref;
    if (!registryAllowed(ref, input.allow)) {
        return (0,checks_result/* checkResult */.iJ)(KIND, target, {
            ...base,
            // Not asked, and not failed twice: the divergence check owns the allow-list finding.
            verdict: 'skip',
            severity: 'info',
            message: `${target} comes from ${ref.registry}, outside the plan's allowed registries (${(input.allow ?? []).join(', ')}): not asked; the divergence check reports it`,
            adjustment: `copy the image into an allowed registry (\`skopeo copy docker://${(0,reference/* formatReference */.FH)(ref)} docker://${input.allow?.[0] ?? '<allowed-registry>'}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}\`) and use that, or add ${ref.registry} to registries.allow`,
            data: { registry: ref.registry, allowed: input.allow },
            durationMs: took()
        });
    }
    // The smallest explicit maxSize wins: every place that names it must hold.
    const explicit = g.maxSizes.map(s => ({ text: s, bytes: parseSize(s) }));
    const badSize = explicit.find(s => s.bytes === undefined);
    if (badSize) {
        return (0,checks_result/* checkResult */.iJ)(KIND, target, {
            ...base,
            verdict: 'error',
            severity: 'high',
            message: `maxSize "${badSize.text}" for ${target} is not a size`,
            adjustment: 'write maxSize as a number with a unit: 500MB, 1.5GB (decimal) or 200Mi, 1.5GiB (binary)',
            durationMs: took()
        });
    }
    const explicitMax = explicit.length
        ? Math.min(...explicit.map(s => s.bytes))
        : undefined;
    const maxText = explicit.find(s => s.bytes === explicitMax)?.text;
    const limit = explicitMax ?? input.defaultMaxBytes ?? DEFAULT_MAX_IMAGE_BYTES;
    const platforms = g.platforms.length ? g.platforms : [undefined];
    const inspections = [];
    for (const platform of platforms) {
        const ins = await input.registry.inspect({ ref, platform, signal: input.signal });
        inspections.push({ platform, ins });
    }
    const judged = inspections.map(({ platform, ins }) => judge(target, ref, platform, ins, limit, explicitMax !== undefined, maxText));
    const worst = judged.reduce((a, b) => (rank(b.j) > rank(a.j) ? b : a));
    const ins = worst.ins;
    const retries = inspections.reduce((n, x) => n + x.ins.retries, 0);
    const mirrorOf = ins.host !== ref.registry ? ref.registry : undefined;
    return (0,checks_result/* checkResult */.iJ)(KIND, target, {
        ...base,
        verdict: worst.j.verdict,
        severity: worst.j.severity,
        message: `${worst.j.message} (checked from the runner)`,
        evidence: evidenceOf(inspections, mirrorOf),
        adjustment: worst.j.adjustment,
        retries,
        durationMs: took(),
        data: {
            reference: (0,reference/* formatReference */.FH)(ref),
            registry: ref.registry,
            host: ins.host,
            ...(mirrorOf ? { mirrorOf } : {}),
            status: ins.status,
            statusCode: ins.statusCode,
            digest: ins.digest,
            mediaType: ins.mediaType,
            platforms: ins.platforms,
            platformsAsked: g.platforms,
            sizePlatform: ins.sizePlatform,
            sizeBytes: ins.compressedSize,
            sizeMB: ins.compressedSize === undefined ? undefined : Math.round(ins.compressedSize / 1e5) / 10,
            maxBytes: limit,
            maxSizeExplicit: explicitMax !== undefined,
            retryAfter: ins.retryAfter,
            credentialSource: ins.credentialSource,
            tags: ins.tags,
            namedIn: [...g.sources],
            checkedFrom: 'runner'
        }
    });
}
function judge(target, ref, platform, ins, limit, explicit, maxText) {
    const host = ins.host;
    const viaMirror = host !== ref.registry;
    const j = (() => {
        switch (ins.status) {
            case 'found': {
                const size = ins.compressedSize;
                const sizeText = size === undefined ? 'unknown size' : formatMegabytes(size);
                const forPlatform = ins.sizePlatform ? ` for ${ins.sizePlatform}` : '';
                if (size !== undefined && size > limit) {
                    // Rounded up to the next 10 MB, so the suggested limit holds the image.
                    const need = `${Math.ceil(size / 1e7) * 10}MB`;
                    return explicit
                        ? {
                            verdict: 'fail',
                            severity: 'high',
                            message: `${target} is ${sizeText} compressed${forPlatform}, over its maxSize of ${maxText}`,
                            adjustment: `slim the image (multi-stage build, smaller base image, fewer layers), or raise maxSize to at least ${need}`
                        }
                        : {
                            verdict: 'warn',
                            severity: 'medium',
                            message: `${target} is ${sizeText} compressed${forPlatform}, over the default limit of ${formatMegabytes(limit)}; large images slow every rollout and node start`,
                            adjustment: `slim the image, or accept it by setting maxSize: ${need} on its entry in assumptions.images`
                        };
                }
                const creds = ins.credentialSource;
                return {
                    verdict: 'pass',
                    severity: 'info',
                    message: `${target} is pullable${platform ? ` for ${platform}` : ''}: ${sizeText} compressed${forPlatform}${creds ? `, with the credentials from ${creds}` : ''}`,
                    adjustment: creds && !creds.startsWith('imagePullSecret')
                        ? `the pull worked with credentials from ${creds}, which the cluster does not have: add them as an imagePullSecret of the pods' service account`
                        : undefined
                };
            }
            case 'not-found': {
                const wanted = ref.digest ?? ref.tag ?? 'latest';
                const suggestion = !ref.digest && ins.tags?.length ? closestTag(wanted, ins.tags) : undefined;
                let adjustment;
                if (suggestion) {
                    adjustment = `use tag ${suggestion}; the registry has ${listSome(ins.tags ?? [], 10)}`;
                }
                else if (ins.tags && ins.tags.length === 0) {
                    adjustment = `push ${target} first: the repository has no tags`;
                }
                else if (ref.digest) {
                    adjustment = `pin a digest that exists in ${ref.repository} (\`skopeo inspect docker://${(0,reference/* formatReference */.FH)({ ...ref, digest: undefined })}\` shows the current one)`;
                }
                else {
                    adjustment = `check the repository name and the registry; push the image if it was never pushed${viaMirror ? `, or check that the mirror ${host} carries it` : ''}`;
                }
                return { verdict: 'fail', severity: 'high', message: ins.message, adjustment };
            }
            case 'unauthorized': {
                const adjustment = ins.message.includes('none were found')
                    ? `add an imagePullSecret for ${host} to the namespace's default service account (\`kubectl create secret docker-registry regcred --docker-server=${host} ...\`, then list it under imagePullSecrets of the service account the pods use), or pass it in registry-auth`
                    : `renew the credentials for ${host}, or grant their account pull access to ${ref.repository}`;
                return { verdict: 'fail', severity: 'high', message: ins.message, adjustment };
            }
            case 'platform-missing':
                return {
                    verdict: 'fail',
                    severity: 'high',
                    message: ins.message,
                    adjustment: `build and push ${platform} too (\`docker buildx build --platform ${[...new Set([...(ins.platforms ?? []), platform ?? ''])].filter(Boolean).join(',')} --push\`), or run the pods on nodes of ${listSome(ins.platforms ?? [], 5) || 'the platform the image has'}`
                };
            case 'rate-limited':
                return {
                    verdict: 'error',
                    severity: 'medium',
                    message: ins.message,
                    adjustment: `re-run${ins.retryAfter ? ` after ${ins.retryAfter}s` : ' later'}; authenticate to ${host} (authenticated pulls get higher limits) or pull through a mirror (registries.mirrors)`
                };
            case 'unreachable':
                return {
                    verdict: 'error',
                    severity: 'medium',
                    message: ins.message,
                    adjustment: `check the registry host name and the runner's network; if only the cluster reaches ${host}, the tracer's pull from a node is the proof`
                };
            case 'error':
                return { verdict: 'error', severity: 'medium', message: ins.message };
        }
    })();
    return { j, ins };
}
function evidenceOf(inspections, mirrorOf) {
    return inspections
        .map(({ platform, ins }) => {
        const parts = [
            `asked ${ins.host}${mirrorOf ? ` (mirror of ${mirrorOf})` : ''} from the runner`,
            ins.statusCode ? `HTTP ${ins.statusCode}` : undefined,
            `status ${ins.status}`,
            platform ? `platform asked ${platform}` : undefined,
            ins.digest ? `digest ${ins.digest}` : undefined,
            ins.platforms?.length ? `platforms ${ins.platforms.join(', ')}` : undefined,
            ins.compressedSize !== undefined
                ? `size ${formatMegabytes(ins.compressedSize)}${ins.sizePlatform ? ` (${ins.sizePlatform})` : ''}`
                : undefined,
            ins.retryAfter !== undefined ? `Retry-After ${ins.retryAfter}s` : undefined,
            `retries ${ins.retries}`
        ];
        return parts.filter(Boolean).join('; ');
    })
        .concat('a tracer proves the pull from a node')
        .join('\n');
}
const VERDICT_RANK = {
    skip: 0,
    pass: 1,
    warn: 2,
    inconclusive: 3,
    error: 4,
    fail: 5,
    cancelled: 6
};
function rank(j) {
    return VERDICT_RANK[j.verdict];
}
async function mapLimit(items, limit, fn) {
    const out = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            out[i] = await fn(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
    return out;
}
function editDistance(a, b) {
    const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let diag = prev[0];
        prev[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const tmp = prev[j];
            prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
            diag = tmp;
        }
    }
    return prev[b.length];
}
function listSome(items, n) {
    return items.length <= n
        ? items.join(', ')
        : `${items.slice(0, n).join(', ')} and ${items.length - n} more`;
}
function isRecord(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// EXTERNAL MODULE: ./src/kube/readiness.ts
var readiness = __webpack_require__(5153);
;// CONCATENATED MODULE: ./src/checks/concurrency.ts
/** Bounded concurrency for checks that make one request per item (reviews, dry-runs, lookups). */
/** How many requests one check kind keeps in flight: enough to hide latency, few enough not to flood the API server's priority-and-fairness queues. */
const CHECK_CONCURRENCY = 16;
/** Maps `items` through `fn` with at most `limit` calls running at once; results keep the input order. */
async function mapBounded(items, fn, limit = CHECK_CONCURRENCY) {
    const out = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            out[i] = await fn(items[i], i);
        }
    };
    const workers = Math.min(Math.max(1, limit), items.length);
    await Promise.all(Array.from({ length: workers }, worker));
    return out;
}

// EXTERNAL MODULE: ./src/checks/manifest-info.ts
var manifest_info = __webpack_require__(4505);
// EXTERNAL MODULE: ./src/checks/plan-objects.ts
var plan_objects = __webpack_require__(1731);
;// CONCATENATED MODULE: ./src/checks/crd.ts
/**
 * `assumptions.crds`, plus every `assumptions.apis` entry outside the
 * built-in groups: the CustomResourceDefinition exists, is Established with
 * its names accepted, and serves the assumed version; which version is
 * stored, and a deprecated version's warning.
 */







const crd_KIND = 'crd';
const CRD_API = 'apiextensions.k8s.io/v1';
/** API groups kube-apiserver serves itself; anything else comes from a CRD or an aggregated APIService. */
const BUILT_IN_GROUPS = new Set([
    '',
    'admissionregistration.k8s.io',
    'apiextensions.k8s.io',
    'apiregistration.k8s.io',
    'apps',
    'authentication.k8s.io',
    'authorization.k8s.io',
    'autoscaling',
    'batch',
    'certificates.k8s.io',
    'coordination.k8s.io',
    'discovery.k8s.io',
    'events.k8s.io',
    'extensions',
    'flowcontrol.apiserver.k8s.io',
    'internal.apiserver.k8s.io',
    'networking.k8s.io',
    'node.k8s.io',
    'policy',
    'rbac.authorization.k8s.io',
    'resource.k8s.io',
    'scheduling.k8s.io',
    'storage.k8s.io',
    'storagemigration.k8s.io'
]);
/** The CRDs a plan assumes, deduplicated by CRD and version. */
function crdTargets(ctx) {
    const out = new Map();
    const a = ctx.loaded.plan.assumptions;
    (a?.crds ?? []).forEach((name, i) => {
        const key = `${name}|`;
        if (!out.has(key))
            out.set(key, { name, text: name, location: ctx.loaded.locate(['assumptions', 'crds', i]) });
    });
    (a?.apis ?? []).forEach((text, i) => {
        const api = parseApiAssumption(text);
        if (!api || BUILT_IN_GROUPS.has(api.group))
            return;
        const key = `${api.group}/${api.kind}|${api.version}`;
        if (!out.has(key))
            out.set(key, { ...api, text, location: ctx.loaded.locate(['assumptions', 'apis', i]) });
    });
    return [...out.values()];
}
/** The versions a CRD object defines. */
function crdVersions(crd) {
    const spec = (0,manifest_info/* isRecord */.u4)(crd.spec) ? crd.spec : {};
    return (0,manifest_info/* records */.V0)(spec.versions).map(v => ({
        name: (0,manifest_info/* str */.gx)(v.name) ?? '?',
        served: v.served === true,
        storage: v.storage === true,
        deprecated: v.deprecated === true,
        deprecationWarning: (0,manifest_info/* str */.gx)(v.deprecationWarning)
    }));
}
/** Judges one CRD object (or its absence) against the target. */
function judgeCrd(target, crd, crdName) {
    const gvk = target.group ? `${target.group}/${target.version}/${target.kind}` : crdName;
    if (!crd)
        return {
            verdict: 'fail',
            severity: 'high',
            message: `CustomResourceDefinition ${crdName} does not exist${target.kind ? ` (needed for ${gvk})` : ''}`,
            adjustment: `install the operator or chart that ships ${crdName} before this deployment, or add the CRD to an earlier phase`
        };
    const versions = crdVersions(crd);
    const storage = versions.find(v => v.storage)?.name;
    const served = versions.filter(v => v.served).map(v => v.name);
    const data = { crd: crdName, served, storage };
    const established = (0,readiness/* findCondition */.fS)(crd, 'Established');
    const names = (0,readiness/* findCondition */.fS)(crd, 'NamesAccepted');
    const status = (0,readiness/* computeStatus */.ee)(crd);
    const conditions = [established, names]
        .filter(c => c !== undefined)
        .map(c => `${c.type}=${c.status}${c.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ''})` : ''}`)
        .join(', ');
    if (crd.metadata.deletionTimestamp)
        return {
            verdict: 'fail',
            severity: 'high',
            message: `CustomResourceDefinition ${crdName} is being deleted`,
            evidence: `deletionTimestamp ${crd.metadata.deletionTimestamp}; ${conditions || 'no conditions'}`,
            adjustment: 'wait for the deletion to finish and reinstall the CRD, or find out who is removing it',
            data
        };
    if (established?.status !== 'True' || names?.status !== 'True')
        return {
            verdict: 'fail',
            severity: 'high',
            message: `CustomResourceDefinition ${crdName} is not ready: ${names?.status === 'False' ? 'its names were not accepted' : 'it is not Established'}`,
            evidence: `${conditions || 'no conditions yet'}; kstatus: ${status.status} ${status.message}`,
            adjustment: names?.status === 'False'
                ? 'another CRD claims the same plural, singular, short name or kind in this group; rename or remove the conflicting CRD'
                : 'wait for the apiserver to establish it (seconds), or look at the apiserver log if it stays so',
            data
        };
    if (!target.version)
        return {
            verdict: 'pass',
            message: `CustomResourceDefinition ${crdName} is Established; serves ${served.join(', ') || 'no version'}, stores ${storage ?? '?'}`,
            data
        };
    const v = versions.find(x => x.name === target.version);
    if (!v)
        return {
            verdict: 'fail',
            severity: 'high',
            message: `${crdName} defines no version ${target.version}; it serves ${served.join(', ') || 'none'}`,
            evidence: `versions: ${versions.map(x => `${x.name}${x.served ? '' : ' (not served)'}${x.storage ? ' (storage)' : ''}`).join(', ')}`,
            adjustment: `move the plan and manifests to ${target.group}/${storage ?? served[0] ?? '?'}, or upgrade the operator to one that serves ${target.version}`,
            data
        };
    if (!v.served)
        return {
            verdict: 'fail',
            severity: 'high',
            message: `${crdName} defines ${target.version} but does not serve it; it serves ${served.join(', ') || 'none'}`,
            evidence: `spec.versions[${target.version}].served: false; storage version ${storage ?? '?'}`,
            adjustment: `use ${target.group}/${storage ?? served[0] ?? '?'}/${target.kind} in the plan and manifests`,
            data
        };
    if (v.deprecated)
        return {
            verdict: 'warn',
            severity: 'medium',
            message: `${gvk} is served but deprecated${v.deprecationWarning ? `: ${v.deprecationWarning}` : ''}`,
            evidence: `spec.versions[${target.version}].deprecated: true; served ${served.join(', ')}; storage ${storage ?? '?'}`,
            adjustment: `move to ${target.group}/${served.find(s => !versions.find(x => x.name === s)?.deprecated) ?? storage}/${target.kind} before the operator drops ${target.version}`,
            data
        };
    return {
        verdict: 'pass',
        message: `${gvk} is served by CustomResourceDefinition ${crdName} (Established; storage version ${storage ?? '?'})`,
        data
    };
}
/** Gets a CRD by name; forbidden reads are told apart from absence. */
async function getCrd(ctx, name) {
    try {
        return await ctx.cluster.get({ apiVersion: CRD_API, kind: 'CustomResourceDefinition', name });
    }
    catch (err) {
        if (err instanceof types/* KubeApiError */.W3 && err.status === 403)
            return 'forbidden';
        throw err;
    }
}
async function crd_checkOne(ctx, target, allCrds, planned) {
    const served = target.group
        ? ctx.surface.resources.find(r => r.group === target.group && r.kind === target.kind)
        : undefined;
    // Discovery knows the plural of a served kind; CRD objects are named <plural>.<group>.
    let name = target.name ?? (served ? `${served.resource}.${target.group}` : undefined);
    let crd = name ? await getCrd(ctx, name) : undefined;
    if (crd === undefined && !target.name && target.group) {
        // Not served: the CRD may exist but not be Established, so look it up by group and kind.
        crd = (await allCrds()).find(c => {
            const spec = (0,manifest_info/* isRecord */.u4)(c.spec) ? c.spec : {};
            const names = (0,manifest_info/* isRecord */.u4)(spec.names) ? spec.names : {};
            return spec.group === target.group && names.kind === target.kind;
        });
        if (crd)
            name = crd.metadata.name;
    }
    const label = name ?? `${target.kind} in ${target.group}`;
    if (crd === 'forbidden') {
        const version = target.version;
        const servedHere = target.group
            ? ctx.surface.resources.some(r => r.group === target.group && r.kind === target.kind && r.version === version)
            : false;
        return (0,checks_result/* checkResult */.iJ)(crd_KIND, target.text, {
            verdict: target.group && !servedHere ? 'fail' : 'warn',
            severity: target.group && !servedHere ? 'high' : 'low',
            message: target.group
                ? servedHere
                    ? `cannot read CustomResourceDefinition ${label} (forbidden), but discovery serves ${target.group}/${version}/${target.kind}`
                    : `${target.group}/${version}/${target.kind} is not served, and CustomResourceDefinition ${label} cannot be read (forbidden)`
                : `cannot read CustomResourceDefinition ${label} (forbidden)`,
            adjustment: 'grant this identity get on customresourcedefinitions.apiextensions.k8s.io (cluster-scoped) for a full check',
            location: target.location
        });
    }
    if (!crd && target.group && served && !target.name) {
        // Served without a CRD: an aggregated APIService (metrics.k8s.io, OpenShift's own groups).
        const exact = ctx.surface.resources.find(r => r.group === target.group && r.kind === target.kind && r.version === target.version);
        return (0,checks_result/* checkResult */.iJ)(crd_KIND, target.text, {
            verdict: exact ? 'pass' : 'fail',
            severity: exact ? 'info' : 'high',
            message: exact
                ? `${target.text} is served by an aggregated API, not a CustomResourceDefinition`
                : `${target.text} is not served; the aggregated API serves ${target.group}/${served.version}`,
            location: target.location
        });
    }
    if (!crd && planned) {
        // The plan installs it itself; the phase that applies it proves it.
        const c = target.name
            ? [...planned.crds.values()].find(x => x.object.metadata.name === target.name)
            : planned.crds.get(`${target.group}/${target.kind}`);
        if (c && (!target.version || c.versions.includes(target.version)))
            return (0,checks_result/* checkResult */.iJ)(crd_KIND, target.text, {
                verdict: 'skip',
                severity: 'info',
                message: `CustomResourceDefinition ${c.object.metadata.name} does not exist yet: the plan installs it (${c.phase ? (0,plan_objects/* describePhase */.$8)(c.phase) : `${c.manifest.file}:${c.manifest.line}`})`,
                location: target.location
            });
    }
    return (0,checks_result/* checkResult */.iJ)(crd_KIND, target.text, {
        ...judgeCrd(target, crd, label),
        location: target.location
    });
}
/** The `crd` kind: one result per assumed CRD, or per CRD-backed API and version. */
const crdCheck = {
    kind: crd_KIND,
    applies: ctx => crdTargets(ctx).length > 0,
    async run(ctx) {
        let listing;
        // A cluster's CRDs with their schemas can weigh megabytes: list them only when a name is not known.
        const allCrds = () => {
            listing ??= ctx.cluster
                .list(CRD_API, 'CustomResourceDefinition')
                .then(r => r.items)
                .catch(err => {
                if (err instanceof types/* KubeApiError */.W3 && err.status === 403)
                    return [];
                throw err;
            });
            return listing;
        };
        const planned = (0,plan_objects/* planCreations */.g3)(await (0,plan_objects/* loadPlanObjects */.OT)(ctx.loaded, ctx.settings.workspace), ctx.manifests);
        const results = await mapBounded(crdTargets(ctx), t => (0,checks_result/* timed */.ay)(crd_KIND, t.text, () => crd_checkOne(ctx, t, allCrds, planned), t.location));
        return results.flat();
    }
};

// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
// EXTERNAL MODULE: ./src/checks/version-range.ts
var version_range = __webpack_require__(4645);
;// CONCATENATED MODULE: ./src/checks/operator.ts
/**
 * `assumptions.operators`: each operator is installed and ready, found the way
 * operators are installed in practice: an OLM ClusterServiceVersion in phase
 * Succeeded, else an Available Deployment, else a deployed Helm release. The
 * three lookups run at once; the report says which one found it, the version
 * found, and the `version` range when the plan gives one.
 */







const operator_KIND = 'operator';
const CSV_API = 'operators.coreos.com/v1alpha1';
/** The plan's operator entry with defaults. */
function normalizeOperator(a) {
    return typeof a === 'string' ? { name: a } : a;
}
/** True when a CSV named `name.v1.2.3` (or `name-v1.2.3`, or exactly `name`) belongs to operator `name`. */
function csvBelongsTo(csvName, operator) {
    return (csvName === operator ||
        csvName.startsWith(`${operator}.`) ||
        new RegExp(`^${escapeRe(operator)}-v?\\d`).test(csvName));
}
function escapeRe(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
/** The tag of an image reference (digest dropped), or undefined for an untagged image. */
function imageTag(image) {
    const noDigest = image.split('@')[0];
    const slash = noDigest.lastIndexOf('/');
    const colon = noDigest.lastIndexOf(':');
    return colon > slash ? noDigest.slice(colon + 1) : undefined;
}
/** Judges what the lookups found against the plan's entry; the fields of the one result. */
function judgeOperator(op, lookup) {
    const order = ['csv', 'deployment', 'helm'];
    const sorted = [...lookup.sightings].sort((a, b) => order.indexOf(a.source) - order.indexOf(b.source));
    const ready = sorted.find(s => s.ready);
    const label = { csv: 'ClusterServiceVersion', deployment: 'Deployment', helm: 'Helm release' };
    const notes = lookup.notes.length ? `\nnot looked at: ${lookup.notes.join('; ')}` : '';
    const seen = sorted
        .map(s => `${label[s.source]} ${s.where}: ${s.state}${s.version ? ` (version ${s.version})` : ''}`)
        .join('\n');
    if (!ready) {
        if (sorted.length > 0) {
            const first = sorted[0];
            return {
                verdict: 'fail',
                severity: 'high',
                message: `operator ${op.name} is installed but not ready: ${label[first.source]} ${first.where} is ${first.state}`,
                evidence: seen + notes,
                adjustment: first.source === 'csv'
                    ? `look at the CSV's status.message and the OLM InstallPlan in ${first.where.split('/')[0]}; fix the install before deploying`
                    : first.source === 'deployment'
                        ? `look at the operator Deployment's pods (kubectl -n ${first.where.split('/')[0]} get pods) and fix them before deploying`
                        : `the release is not deployed; run \`helm history ${op.name}\` and finish or roll back the release`,
                data: { found: sorted }
            };
        }
        return {
            verdict: 'fail',
            severity: 'high',
            message: `operator ${op.name} is not installed${op.namespace ? ` in namespace ${op.namespace}` : ''}`,
            evidence: `looked for ${lookup.lookedFor.join('; ')}: none found${notes}`,
            adjustment: `install ${op.name}${op.namespace ? ` into ${op.namespace}` : ''} (OLM Subscription, Helm chart or manifests) before this deployment, or correct the operator's name or namespace in the plan`,
            data: { found: [] }
        };
    }
    const where = `${label[ready.source]} ${ready.where}`;
    const data = {
        source: ready.source,
        where: ready.where,
        version: ready.version
    };
    if (op.version) {
        data.range = op.version;
        if (!(0,version_range/* parseRange */.RC)(op.version))
            return {
                verdict: 'fail',
                severity: 'high',
                message: `operator ${op.name}: version range "${op.version}" does not parse`,
                adjustment: 'write the range like ">=1.20", "^1.2", "~1.2.3", ">=1.2 <2" or "1.2.x"',
                data
            };
        const ok = ready.version ? (0,version_range/* satisfies */.ib)(ready.version, op.version) : undefined;
        if (ok === undefined)
            return {
                verdict: 'warn',
                severity: 'medium',
                message: `operator ${op.name} is ready (${where}), but its version ${ready.version ? `"${ready.version}" is not a version` : 'is unknown'}, so ${op.version} could not be judged`,
                evidence: seen + notes,
                adjustment: `label the operator's Deployment with app.kubernetes.io/version, or pin the image to a version tag`,
                data
            };
        if (!ok)
            return {
                verdict: 'fail',
                severity: 'high',
                message: `operator ${op.name} ${ready.version} does not satisfy ${op.version} (${where})`,
                evidence: seen + notes,
                adjustment: `upgrade ${op.name} to a version matching ${op.version}, or relax the plan's range if this version is known to work`,
                data
            };
    }
    return {
        verdict: 'pass',
        severity: 'info',
        message: `operator ${op.name}${ready.version ? ` ${ready.version}` : ''} is ready (${where}: ${ready.state})${op.version ? `, satisfies ${op.version}` : ''}`,
        evidence: sorted.length > 1 ? seen : undefined,
        data
    };
}
/** Lists, but with a 403 on a cluster-wide list retried in the fallback namespace (recorded in `notes`). */
async function listScoped(ctx, apiVersion, kind, opts, notes) {
    try {
        return (await ctx.cluster.list(apiVersion, kind, opts)).items;
    }
    catch (err) {
        if (err instanceof types/* KubeApiError */.W3 && err.status === 403) {
            if (opts.namespace === undefined) {
                notes.push(`${kind}s in all namespaces (forbidden; looked in ${ctx.namespace} only)`);
                return listScoped(ctx, apiVersion, kind, { ...opts, namespace: ctx.namespace }, notes);
            }
            notes.push(`${kind}s in ${opts.namespace} (forbidden)`);
            return [];
        }
        throw err;
    }
}
function csvSighting(csv) {
    const spec = (0,manifest_info/* isRecord */.u4)(csv.spec) ? csv.spec : {};
    const status = (0,manifest_info/* isRecord */.u4)(csv.status) ? csv.status : {};
    const phase = (0,manifest_info/* str */.gx)(status.phase) ?? 'no phase yet';
    const reason = (0,manifest_info/* str */.gx)(status.reason);
    const message = (0,manifest_info/* str */.gx)(status.message);
    return {
        source: 'csv',
        where: `${csv.metadata.namespace}/${csv.metadata.name}`,
        ready: phase === 'Succeeded',
        version: (0,manifest_info/* str */.gx)(spec.version) ?? /\.v?(\d+\.\d+.*)$/.exec(csv.metadata.name)?.[1],
        state: `phase ${phase}${reason ? ` (${reason}${message ? `: ${message}` : ''})` : ''}`
    };
}
function deploymentSighting(d, operator) {
    const available = (0,readiness/* findCondition */.fS)(d, 'Available');
    const kstatus = (0,readiness/* computeStatus */.ee)(d);
    const spec = (0,manifest_info/* isRecord */.u4)(d.spec) ? d.spec : {};
    const tpl = (0,manifest_info/* isRecord */.u4)(spec.template) && (0,manifest_info/* isRecord */.u4)(spec.template.spec) ? spec.template.spec : {};
    const containers = (0,manifest_info/* records */.V0)(tpl.containers);
    const main = containers.find(c => c.name === operator || c.name === 'manager') ?? containers[0];
    const image = main ? (0,manifest_info/* str */.gx)(main.image) : undefined;
    const version = d.metadata.labels?.['app.kubernetes.io/version'] ?? (image ? imageTag(image) : undefined);
    return {
        source: 'deployment',
        where: `${d.metadata.namespace}/${d.metadata.name}`,
        ready: available?.status === 'True',
        version,
        state: available
            ? `Available=${available.status}${available.message ? ` (${available.message})` : ''}`
            : `no Available condition yet (${kstatus.status}: ${kstatus.message})`
    };
}
/** The chart version of a Helm 3 release Secret: `data.release` is base64 of base64 of gzipped JSON. */
function helmChartVersion(secret) {
    const data = (0,manifest_info/* isRecord */.u4)(secret.data) ? secret.data : {};
    const raw = (0,manifest_info/* str */.gx)(data.release);
    if (!raw)
        return undefined;
    try {
        let bytes = Buffer.from(Buffer.from(raw, 'base64').toString('utf8'), 'base64');
        if (bytes[0] === 0x1f && bytes[1] === 0x8b)
            bytes = (0,external_node_zlib_.gunzipSync)(bytes);
        const release = JSON.parse(bytes.toString('utf8'));
        return release.chart?.metadata?.version;
    }
    catch {
        return undefined;
    }
}
function helmSighting(secrets, wantVersion) {
    const revision = (s) => Number(s.metadata.labels?.version ?? 0);
    const sorted = [...secrets].sort((a, b) => revision(b) - revision(a));
    const deployed = sorted.find(s => s.metadata.labels?.status === 'deployed');
    const pick = deployed ?? sorted[0];
    if (!pick)
        return undefined;
    const status = pick.metadata.labels?.status ?? 'unknown';
    const rev = revision(pick);
    // The labels hold the revision, not the chart version; the release itself is
    // decoded only when a version range has to be judged.
    const chart = wantVersion ? helmChartVersion(pick) : undefined;
    return {
        source: 'helm',
        where: `${pick.metadata.namespace}/${pick.metadata.labels?.name ?? pick.metadata.name}`,
        ready: status === 'deployed',
        version: chart,
        state: `revision ${rev} ${status}${!wantVersion ? ' (chart version not decoded: no version range asked)' : ''}`
    };
}
/** Runs the CSV, Deployment and Helm lookups for one operator at once. */
async function lookUpOperator(ctx, op) {
    const notes = [];
    const ns = op.namespace;
    const where = ns ? `in ${ns}` : 'in any namespace';
    const lookedFor = [];
    const olm = (0,manifest_info/* findResource */.MW)(ctx.surface, CSV_API, 'ClusterServiceVersion') !== undefined;
    if (olm)
        lookedFor.push(`a ClusterServiceVersion ${op.name}.v* in phase Succeeded ${where}`);
    else
        notes.push('ClusterServiceVersions (OLM is not installed: no operators.coreos.com/v1alpha1)');
    lookedFor.push(`a Deployment ${op.name} (or labelled app.kubernetes.io/name=${op.name}) ${where}`);
    lookedFor.push(`a Helm release ${op.name} (Secrets labelled owner=helm,name=${op.name}) ${where}`);
    const csvs = olm
        ? // OLM copies a CSV into every namespace an AllNamespaces operator watches; the copies say nothing new.
            listScoped(ctx, CSV_API, 'ClusterServiceVersion', { namespace: ns, labelSelector: '!olm.copiedFrom' }, notes).then(items => items.filter(c => csvBelongsTo(c.metadata.name, op.name)).map(csvSighting))
        : Promise.resolve([]);
    const deployments = (async () => {
        const found = new Map();
        const [byName, byLabel] = await Promise.all([
            ns
                ? ctx.cluster
                    .get({ apiVersion: 'apps/v1', kind: 'Deployment', name: op.name, namespace: ns })
                    .then(d => (d ? [d] : []))
                    .catch(err => {
                    if (err instanceof types/* KubeApiError */.W3 && err.status === 403) {
                        notes.push(`Deployment ${ns}/${op.name} (forbidden)`);
                        return [];
                    }
                    throw err;
                })
                : listScoped(ctx, 'apps/v1', 'Deployment', { fieldSelector: `metadata.name=${op.name}` }, notes),
            listScoped(ctx, 'apps/v1', 'Deployment', { namespace: ns, labelSelector: `app.kubernetes.io/name=${op.name}` }, notes)
        ]);
        for (const d of [...byName, ...byLabel])
            found.set(`${d.metadata.namespace}/${d.metadata.name}`, d);
        return [...found.values()].map(d => deploymentSighting(d, op.name));
    })();
    const helm = listScoped(ctx, 'v1', 'Secret', { namespace: ns, labelSelector: `owner=helm,name=${op.name}` }, notes).then(secrets => {
        const s = helmSighting(secrets, op.version !== undefined);
        return s ? [s] : [];
    });
    const all = await Promise.all([csvs, deployments, helm]);
    return { sightings: all.flat(), lookedFor, notes };
}
/** The `operator` kind: one result per `assumptions.operators` entry. */
const operatorCheck = {
    kind: operator_KIND,
    applies: ctx => (ctx.loaded.plan.assumptions?.operators?.length ?? 0) > 0,
    async run(ctx) {
        const ops = (ctx.loaded.plan.assumptions?.operators ?? []).map(normalizeOperator);
        const results = await mapBounded(ops, (op, i) => {
            const location = ctx.loaded.locate(['assumptions', 'operators', i]);
            const target = op.namespace ? `${op.namespace}/${op.name}` : op.name;
            return (0,checks_result/* timed */.ay)(operator_KIND, target, async () => {
                const lookup = await lookUpOperator(ctx, op);
                return (0,checks_result/* checkResult */.iJ)(operator_KIND, target, { ...judgeOperator(op, lookup), location });
            }, location);
        });
        return results.flat();
    }
};

// EXTERNAL MODULE: ./src/kube/labels.ts
var labels = __webpack_require__(8550);
;// CONCATENATED MODULE: ./src/checks/derive-permissions.ts
/**
 * The rights applying a plan needs, derived from its manifests: what the
 * reality check asks the API server about (SelfSubjectAccessReview) and,
 * when denied, the Role rules that grant exactly what is missing.
 */


const APPLY_VERBS = ['get', 'create', 'patch'];
const WAIT_VERBS = ['list', 'watch'];
/** Splits `deployments.apps`, `pods/log`, `ingresses.networking.k8s.io` into resource, group and subresource. */
function parseResourceName(text) {
    const [main, subresource] = text.split('/', 2);
    const dot = main.indexOf('.');
    const resource = dot < 0 ? main : main.slice(0, dot);
    const group = dot < 0 ? '' : main.slice(dot + 1);
    return subresource ? { group, resource, subresource } : { group, resource };
}
/** `deployments.apps`, `pods/log`: a resource as RBAC rules and kubectl name it. */
function formatResourceName(n) {
    return `${n.resource}${n.group ? `.${n.group}` : ''}${n.subresource ? `/${n.subresource}` : ''}`;
}
function resolve(obj, surface, creations) {
    const served = (0,manifest_info/* findResource */.MW)(surface, obj.apiVersion, obj.kind);
    if (served)
        return { group: served.group, resource: served.resource, namespaced: served.namespaced };
    const { group } = (0,types/* splitApiVersion */.Np)(obj.apiVersion);
    // A kind whose CRD the plan itself installs: RBAC rules may name it before it exists.
    const crd = creations?.crds.get(`${group}/${obj.kind}`);
    if (crd)
        return { group, resource: crd.plural, namespaced: crd.namespaced };
    return undefined;
}
/** Every right the plan needs, deduplicated; objects whose kind cannot be resolved are returned apart. */
function derivePermissions(input) {
    const needs = new Map();
    const unresolved = [];
    const add = (n, purpose, reason, location) => {
        const key = [
            n.verb,
            n.group,
            n.resource,
            n.subresource ?? '',
            n.namespace ?? '',
            n.name ?? ''
        ].join('|');
        const have = needs.get(key);
        if (have) {
            if (!have.purposes.includes(purpose))
                have.purposes.push(purpose);
            if (!have.reasons.includes(reason))
                have.reasons.push(reason);
            have.location ??= location;
            return;
        }
        const need = { ...n, purposes: [purpose], reasons: [reason] };
        if (location)
            need.location = location;
        needs.set(key, need);
    };
    const objectNeeds = (m, deletable) => {
        const r = resolve(m.object, input.surface, input.creations);
        if (!r) {
            unresolved.push({
                manifest: m,
                reason: `${m.object.apiVersion} ${m.object.kind} is not served and no CRD in the plan defines it`
            });
            return;
        }
        const namespace = r.namespaced ? (m.object.metadata.namespace ?? input.namespace) : undefined;
        const base = { group: r.group, resource: r.resource, namespace };
        const what = (0,manifest_info/* describeManifest */.FK)(m);
        const location = (0,manifest_info/* manifestLocation */.zW)(m);
        // Server-side apply needs patch, and create as well when the object is new.
        for (const verb of APPLY_VERBS)
            add({ ...base, verb }, 'apply', `apply ${what}`, location);
        for (const verb of WAIT_VERBS)
            add({ ...base, verb }, 'wait', `wait for ${what}`, location);
        if (deletable)
            add({ ...base, verb: 'delete' }, 'delete', `clean up or roll back ${what}`, location);
        // Readiness of a Deployment is judged through its ReplicaSets and pods (fail-fast causes).
        if (m.object.kind === 'Deployment' && m.object.apiVersion === 'apps/v1')
            for (const verb of WAIT_VERBS)
                add({ verb, group: 'apps', resource: 'replicasets', namespace }, 'wait', `wait for ${what}`, location);
    };
    for (const m of input.assumed)
        objectNeeds(m, false);
    for (const unit of [...input.tracers, ...input.phases])
        for (const m of unit.manifests)
            objectNeeds(m, true);
    // phase-gate's own rights (DESIGN: state record, lock, evidence), in the target namespace.
    const ns = input.namespace;
    const own = input.ownLocation;
    for (const verb of ['get', 'create', 'patch', 'delete'])
        add({ verb, group: '', resource: 'configmaps', namespace: ns }, 'state', `state record ConfigMap phase-gate-${input.planName}`, own);
    for (const verb of ['get', 'create', 'patch', 'delete'])
        add({ verb, group: '', resource: 'secrets', namespace: ns }, 'state', `per-run state Secrets phase-gate-${input.planName}-<run>`, own);
    for (const verb of ['get', 'create', 'update', 'delete'])
        add({ verb, group: 'coordination.k8s.io', resource: 'leases', namespace: ns }, 'lock', 'the Lease that keeps two runs of the plan apart', own);
    add({ verb: 'list', group: '', resource: 'events', namespace: ns }, 'evidence', 'events as evidence of failures', own);
    add({ verb: 'list', group: '', resource: 'pods', namespace: ns }, 'evidence', 'pod states as evidence of failures', own);
    add({ verb: 'get', group: '', resource: 'pods', subresource: 'log', namespace: ns }, 'evidence', 'last log lines as evidence', own);
    for (const { permission: p, location } of input.explicit) {
        const r = parseResourceName(p.resource);
        const served = input.surface.resources.find(x => x.group === r.group && x.resource === r.resource);
        const namespaced = served ? served.namespaced : true;
        const namespace = namespaced ? (p.namespace ?? ns) : undefined;
        const subresource = p.subresource ?? r.subresource;
        const n = {
            verb: p.verb,
            group: r.group,
            resource: r.resource,
            namespace
        };
        if (subresource)
            n.subresource = subresource;
        if (p.name)
            n.name = p.name;
        add(n, 'explicit', `assumptions.permissions: ${p.verb} ${p.resource}${p.name ? ` ${p.name}` : ''}`, location);
    }
    return { needs: [...needs.values()], unresolved };
}
/** A resource in one scope: what one CheckResult of the permission check covers. */
function resourceKey(n) {
    return `${formatResourceName(n)}${n.namespace ? ` in ${n.namespace}` : ' (cluster-wide)'}`;
}
const q = (s) => JSON.stringify(s);
/**
 * The Roles (one per namespace) and ClusterRole (cluster-scoped resources)
 * that grant exactly the given rights, as YAML an admin can apply: rules
 * group resources of one API group that need the same verbs.
 */
function missingRulesYaml(denied, opts) {
    const scopes = new Map();
    for (const n of denied) {
        const key = n.namespace ?? '';
        scopes.set(key, [...(scopes.get(key) ?? []), n]);
    }
    const docs = [];
    for (const [namespace, list] of [...scopes.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        // resource (with names) → verbs
        const perResource = new Map();
        for (const n of list) {
            const res = `${n.resource}${n.subresource ? `/${n.subresource}` : ''}`;
            const key = `${n.group}|${res}|${n.name ?? ''}`;
            const entry = perResource.get(key) ?? {
                group: n.group,
                resource: res,
                names: n.name ? [n.name] : [],
                verbs: new Set()
            };
            entry.verbs.add(n.verb);
            perResource.set(key, entry);
        }
        // (group, verbs, names) → resources
        const rules = new Map();
        for (const e of perResource.values()) {
            const verbs = [...e.verbs].sort();
            const key = `${e.group}|${verbs.join(',')}|${e.names.join(',')}`;
            const rule = rules.get(key) ?? { group: e.group, verbs, names: e.names, resources: [] };
            rule.resources.push(e.resource);
            rules.set(key, rule);
        }
        const sorted = [...rules.values()].sort((a, b) => a.group.localeCompare(b.group) || a.resources[0].localeCompare(b.resources[0]));
        const lines = [
            'apiVersion: rbac.authorization.k8s.io/v1',
            `kind: ${namespace ? 'Role' : 'ClusterRole'}`,
            'metadata:',
            `  name: ${opts.name}`,
            ...(namespace ? [`  namespace: ${namespace}`] : []),
            'rules:'
        ];
        for (const r of sorted) {
            lines.push(`  - apiGroups: [${q(r.group)}]`);
            lines.push(`    resources: [${r.resources.sort().map(q).join(', ')}]`);
            if (r.names.length)
                lines.push(`    resourceNames: [${r.names.map(q).join(', ')}]`);
            lines.push(`    verbs: [${r.verbs.map(q).join(', ')}]`);
        }
        if (opts.subject) {
            const [kind, subjectName, subjectNs] = subjectOf(opts.subject);
            lines.push('---', 'apiVersion: rbac.authorization.k8s.io/v1', `kind: ${namespace ? 'RoleBinding' : 'ClusterRoleBinding'}`, 'metadata:', `  name: ${opts.name}`, ...(namespace ? [`  namespace: ${namespace}`] : []), 'roleRef:', '  apiGroup: rbac.authorization.k8s.io', `  kind: ${namespace ? 'Role' : 'ClusterRole'}`, `  name: ${opts.name}`, 'subjects:', kind === 'ServiceAccount'
                ? `  - kind: ServiceAccount\n    name: ${subjectName}\n    namespace: ${subjectNs}`
                : `  - kind: User\n    apiGroup: rbac.authorization.k8s.io\n    name: ${q(subjectName)}`);
        }
        docs.push(lines.join('\n'));
    }
    return docs.join('\n---\n');
}
function subjectOf(username) {
    const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username);
    return m ? ['ServiceAccount', m[2], m[1]] : ['User', username, ''];
}

;// CONCATENATED MODULE: ./src/checks/permission.ts
/**
 * Permissions: a SelfSubjectAccessReview for every right applying the plan
 * needs (derived from its manifests, tracers and phases, plus phase-gate's own
 * state, lock and evidence rights) and every explicit `assumptions.permissions`
 * entry. One result per resource lists the denied verbs and the Role rules
 * that would grant them; a last result holds the whole Role to paste.
 */







const permission_KIND = 'permission';
// Without these the deployment itself cannot proceed; evidence rights only make failures harder to read.
const BLOCKING = ['apply', 'delete', 'wait', 'state', 'lock', 'explicit'];
/** Judges the reviews of one resource: pass, or the denied verbs with why each was needed and the rule to add. */
function judgeResource(reviewed, opts) {
    const first = reviewed[0].need;
    const key = resourceKey(first);
    const allowed = reviewed.filter(r => r.decision.allowed).map(r => r.need.verb);
    const denied = reviewed.filter(r => !r.decision.allowed);
    const data = {
        resource: formatResourceName(first),
        namespace: first.namespace,
        allowed: [...new Set(allowed)].sort(),
        denied: [...new Set(denied.map(d => d.need.verb))].sort()
    };
    if (denied.length === 0)
        return {
            verdict: 'pass',
            severity: 'info',
            message: `may ${[...new Set(allowed)].sort().join(', ')} ${key}`,
            data
        };
    const blocking = denied.some(d => d.need.purposes.some(p => BLOCKING.includes(p)));
    const verbs = [...new Set(denied.map(d => d.need.verb))].sort();
    const evidence = denied
        .map(d => {
        const why = d.need.reasons.slice(0, 3).join('; ') +
            (d.need.reasons.length > 3 ? `; and ${d.need.reasons.length - 3} more` : '');
        const server = d.decision.reason || d.decision.evaluationError;
        return `${d.need.verb}${d.need.name ? ` ${d.need.name}` : ''}: denied${server ? ` (${server})` : ''}, needed to ${why}`;
    })
        .join('\n');
    return {
        verdict: blocking ? 'fail' : 'warn',
        severity: blocking ? 'high' : 'medium',
        message: `may not ${verbs.join(', ')} ${key}${allowed.length ? ` (may ${[...new Set(allowed)].sort().join(', ')})` : ''}${blocking ? '' : ': failures will carry less evidence'}`,
        evidence,
        adjustment: `add these rules (kubectl apply -f -):\n${missingRulesYaml(denied.map(d => d.need), { name: opts.roleName })}`,
        data
    };
}
/** The identity the reviews are about (SelfSubjectReview), or undefined when the server does not say. */
async function whoAmI(ctx) {
    if (!ctx.surface.resources.some(r => r.group === 'authentication.k8s.io' && r.resource === 'selfsubjectreviews'))
        return undefined;
    try {
        const review = await ctx.cluster.create({
            apiVersion: 'authentication.k8s.io/v1',
            kind: 'SelfSubjectReview',
            metadata: { name: '' }
        });
        const status = (0,manifest_info/* isRecord */.u4)(review.status) ? review.status : {};
        const user = (0,manifest_info/* isRecord */.u4)(status.userInfo) ? status.userInfo : {};
        return typeof user.username === 'string' ? user.username : undefined;
    }
    catch (err) {
        ctx.log.debug(`SelfSubjectReview failed: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
        return undefined;
    }
}
/** The `permission` kind: one result per resource and scope, plus the Role of what is denied. */
const permissionCheck = {
    kind: permission_KIND,
    // phase-gate's own rights are always needed, whatever the plan holds.
    applies: () => true,
    run: ctx => (0,checks_result/* timed */.ay)(permission_KIND, permission_KIND, () => checkPermissions(ctx))
};
async function checkPermissions(ctx) {
    const objects = await (0,plan_objects/* loadPlanObjects */.OT)(ctx.loaded, ctx.settings.workspace);
    const plan = ctx.loaded.plan;
    const { needs, unresolved } = derivePermissions({
        planName: plan.name,
        namespace: ctx.namespace,
        surface: ctx.surface,
        creations: (0,plan_objects/* planCreations */.g3)(objects, ctx.manifests),
        assumed: ctx.manifests,
        tracers: objects.tracers,
        phases: objects.phases,
        explicit: (plan.assumptions?.permissions ?? []).map((permission, i) => ({
            permission,
            location: ctx.loaded.locate(['assumptions', 'permissions', i])
        })),
        ownLocation: ctx.loaded.locate(['target', 'namespace'])
    });
    const [subject, reviewed] = await Promise.all([
        whoAmI(ctx),
        mapBounded(needs, async (need) => {
            const attrs = {
                verb: need.verb,
                group: need.group,
                resource: need.resource,
                namespace: need.namespace,
                name: need.name,
                subresource: need.subresource
            };
            return { need, decision: await ctx.cluster.accessReview(attrs) };
        })
    ]);
    const roleName = `phase-gate-${(0,labels/* dnsName */.Tu)(plan.name, 50)}`;
    const byResource = new Map();
    for (const r of reviewed) {
        const key = resourceKey(r.need);
        byResource.set(key, [...(byResource.get(key) ?? []), r]);
    }
    const results = [];
    for (const [key, list] of byResource) {
        results.push((0,checks_result/* checkResult */.iJ)(permission_KIND, key, {
            ...judgeResource(list, { roleName }),
            location: list.find(r => !r.decision.allowed)?.need.location ?? list[0].need.location
        }));
    }
    const denied = reviewed.filter(r => !r.decision.allowed);
    if (denied.length > 0) {
        const worst = results.some(r => r.verdict === 'fail') ? 'fail' : 'warn';
        const resources = new Set(denied.map(d => resourceKey(d.need)));
        results.push((0,checks_result/* checkResult */.iJ)(permission_KIND, 'missing Role rules', {
            verdict: worst,
            severity: worst === 'fail' ? 'high' : 'medium',
            message: `${denied.length} of ${reviewed.length} rights denied on ${resources.size} resource${resources.size === 1 ? '' : 's'}${subject ? ` for ${subject}` : ''}; the Role below grants exactly those`,
            evidence: denied.map(d => `${d.need.verb} ${resourceKey(d.need)}`).join('\n'),
            adjustment: missingRulesYaml(denied.map(d => d.need), { name: roleName, subject }),
            data: { denied: denied.length, reviewed: reviewed.length, subject },
            location: ctx.loaded.locate(['target', 'namespace'])
        }));
    }
    for (const problem of objects.problems)
        results.push((0,checks_result/* checkResult */.iJ)(permission_KIND, `manifests: ${problem.split(':')[0]}`, {
            verdict: 'error',
            severity: 'high',
            message: `could not derive the rights of ${problem}`,
            adjustment: 'fix the file path in the plan; `phase-gate lint` names it too'
        }));
    if (unresolved.length > 0)
        results.push((0,checks_result/* checkResult */.iJ)(permission_KIND, 'unresolved kinds', {
            verdict: 'warn',
            severity: 'low',
            message: `rights of ${unresolved.length} object${unresolved.length === 1 ? '' : 's'} could not be derived: their kinds are not served (the api and divergence checks report them)`,
            evidence: unresolved
                .map(u => `${u.manifest.file}:${u.manifest.line} ${u.manifest.object.kind} ${u.manifest.object.metadata.name}: ${u.reason}`)
                .join('\n')
        }));
    return results;
}

// EXTERNAL MODULE: ./src/cel/quantity.ts
var quantity = __webpack_require__(1223);
;// CONCATENATED MODULE: ./src/checks/quantity.ts
/**
 * Kubernetes resource quantities (`500m`, `1.5`, `1Gi`, `512Mi`, `1e3`) as
 * exact integers of nano-units, so sums of many requests compare with quota
 * figures without floating-point drift. The apiserver rounds up to the same
 * precision, so a sub-nano remainder is rounded up here too.
 */

const NANO = 1000000000n;
/** The quantity in nano-units, or undefined when the text is not a Kubernetes quantity. */
function parseQuantity(text) {
    if (text === undefined || text === null)
        return undefined;
    const s = typeof text === 'number' ? (Number.isFinite(text) ? String(text) : '') : text.trim();
    if (s === '')
        return undefined;
    let q;
    try {
        // The CEL library's parser is a port of resource.ParseQuantity; one grammar for the whole project.
        q = (0,quantity/* parseQuantity */.Lf)(s);
    }
    catch {
        return undefined;
    }
    // No resource quantity is larger than exa-units; a huge exponent would only build a huge number.
    if (q.exp > 30)
        return undefined;
    const shift = q.exp + 9;
    if (shift >= 0)
        return q.unscaled * 10n ** BigInt(shift);
    // Finer than nano: round away from zero, as the apiserver does.
    const div = 10n ** BigInt(-shift);
    const mag = q.unscaled < 0n ? -q.unscaled : q.unscaled;
    const up = (mag + div - 1n) / div;
    return q.unscaled < 0n ? -up : up;
}
/** True for resources measured in bytes (memory, storage), which read best with binary suffixes. */
function isByteResource(resource) {
    return /memory|storage/.test(resource);
}
/** A quantity as a person reads it: cores as `1.5`/`250m`, bytes as `1.5Gi`/`512Mi`, counts as integers. */
function formatQuantity(q, resource = '') {
    if (q < 0n)
        return `-${formatQuantity(-q, resource)}`;
    if (isByteResource(resource))
        return formatBytes(q);
    if (q % NANO === 0n)
        return String(q / NANO);
    if (q % 1000000n === 0n) {
        const milli = q / 1000000n;
        // 1.5 reads better than 1500m once a whole core is involved.
        return milli >= 1000n ? decimal(q) : `${milli}m`;
    }
    return decimal(q);
}
function formatBytes(q) {
    const bytes = (q + NANO - 1n) / NANO;
    const units = [
        ['Ei', 1n << 60n],
        ['Pi', 1n << 50n],
        ['Ti', 1n << 40n],
        ['Gi', 1n << 30n],
        ['Mi', 1n << 20n],
        ['Ki', 1n << 10n]
    ];
    for (const [suffix, size] of units) {
        if (bytes < size)
            continue;
        if (bytes % size === 0n)
            return `${bytes / size}${suffix}`;
        // Two decimals are plenty for a message; the exact figure is in `data`.
        const hundredths = (bytes * 100n) / size;
        if (hundredths >= 100n)
            return `${trimZeros(`${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`)}${suffix}`;
    }
    return String(bytes);
}
function decimal(q) {
    const whole = q / NANO;
    const frac = String(q % NANO).padStart(9, '0');
    return trimZeros(`${whole}.${frac}`);
}
function trimZeros(s) {
    return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}
/** The quantity as a float of whole units, for `data` fields and JSON. */
function quantityToNumber(q) {
    return Number(q) / 1e9;
}

;// CONCATENATED MODULE: ./src/checks/pod-resources.ts
/**
 * What a pod asks of a namespace's quota: container requests and limits
 * after the API's defaulting (requests default to limits) and LimitRange
 * defaults, summed the way the scheduler and quota do (init containers by
 * their maximum, sidecars alongside the app containers).
 */


function amounts(v) {
    const out = new Map();
    if (!(0,manifest_info/* isRecord */.u4)(v))
        return out;
    for (const [k, x] of Object.entries(v)) {
        const q = parseQuantity(typeof x === 'number' || typeof x === 'string' ? x : undefined);
        if (q !== undefined)
            out.set(k, q);
    }
    return out;
}
/** The LimitRanges' container defaults merged (the first LimitRange to set a resource wins, as LimitRanger applies them in order). */
function containerDefaults(limitRanges) {
    const d = { limits: new Map(), requests: new Map() };
    for (const lr of limitRanges) {
        const spec = (0,manifest_info/* isRecord */.u4)(lr.spec) ? lr.spec : {};
        for (const item of (0,manifest_info/* records */.V0)(spec.limits)) {
            if (item.type !== 'Container')
                continue;
            const lim = amounts(item.default);
            // LimitRange defaulting: a default limit without a default request is also the default request.
            const req = amounts(item.defaultRequest);
            for (const [k, q] of lim)
                if (!req.has(k))
                    req.set(k, q);
            for (const [k, q] of lim)
                if (!d.limits.has(k))
                    d.limits.set(k, q);
            for (const [k, q] of req)
                if (!d.requests.has(k))
                    d.requests.set(k, q);
            if (lim.size || req.size)
                d.source ??= lr.name;
        }
    }
    return d;
}
/** A container's requests and limits after API defaulting and the LimitRange defaults. */
function containerResources(c, list, defaults) {
    const res = (0,manifest_info/* isRecord */.u4)(c.resources) ? c.resources : {};
    const limits = amounts(res.limits);
    const requests = amounts(res.requests);
    const defaulted = [];
    // API defaulting (before admission): a limit without a request is also the request.
    for (const [k, q] of limits)
        if (!requests.has(k))
            requests.set(k, q);
    for (const [k, q] of defaults.limits)
        if (!limits.has(k)) {
            limits.set(k, q);
            defaulted.push(`limits.${k}`);
        }
    for (const [k, q] of defaults.requests)
        if (!requests.has(k)) {
            requests.set(k, q);
            defaulted.push(`requests.${k}`);
        }
    return {
        name: typeof c.name === 'string' ? c.name : '?',
        list,
        sidecar: list === 'initContainers' && c.restartPolicy === 'Always',
        requests,
        limits,
        defaulted
    };
}
function add(into, from) {
    for (const [k, q] of from)
        into.set(k, (into.get(k) ?? 0n) + q);
}
function maxInto(into, from) {
    for (const [k, q] of from)
        if ((into.get(k) ?? 0n) < q)
            into.set(k, q);
}
/**
 * Effective pod resources (as the scheduler and quota count them): the sum of
 * app containers and sidecars, or the largest init container plus the
 * sidecars started before it, whichever is larger per resource.
 */
function podResources(t, defaults) {
    const containers = [
        ...(0,manifest_info/* records */.V0)(t.spec.initContainers).map(c => containerResources(c, 'initContainers', defaults)),
        ...(0,manifest_info/* records */.V0)(t.spec.containers).map(c => containerResources(c, 'containers', defaults))
    ];
    const sum = (pick) => {
        const regular = new Map();
        const sidecars = new Map();
        const initPeak = new Map();
        for (const c of containers) {
            if (c.list === 'containers')
                add(regular, pick(c));
            else if (c.sidecar)
                add(sidecars, pick(c));
            else {
                const during = new Map(sidecars);
                add(during, pick(c));
                maxInto(initPeak, during);
            }
        }
        add(regular, sidecars);
        maxInto(regular, initPeak);
        return regular;
    };
    const requests = sum(c => c.requests);
    const limits = sum(c => c.limits);
    // A resource one container leaves unlimited makes the pod unlimited in it.
    for (const k of [...limits.keys()])
        if (containers.some(c => c.list === 'containers' && !c.limits.has(k)))
            limits.delete(k);
    const priority = t.spec.priorityClassName;
    return {
        containers,
        requests,
        limits,
        // QoS BestEffort looks at cpu and memory only.
        bestEffort: containers.every(c => !['cpu', 'memory'].some(r => c.requests.has(r) || c.limits.has(r))),
        terminating: typeof t.spec.activeDeadlineSeconds === 'number',
        priorityClassName: typeof priority === 'string' ? priority : undefined
    };
}

// EXTERNAL MODULE: ./src/checks/pod-templates.ts
var pod_templates = __webpack_require__(5568);
;// CONCATENATED MODULE: ./src/checks/quota.ts
/**
 * Quota headroom: the target namespace's ResourceQuotas and LimitRanges
 * against what the plan declares (`assumptions.quota`) or, when it declares
 * nothing, what its manifests add up to (replicas × pod requests after
 * LimitRange defaults, pods, object counts, storage). Objects that already
 * exist count only by how much they grow. A quota on a resource the pods do
 * not set (limits.cpu without limits or a default) rejects every pod: fail.
 */







const quota_KIND = 'quota';
// Quota names that mean the same thing (quota/v1 evaluator: `cpu` is `requests.cpu`, `count/pods` is `pods`, ...).
const CORE_COUNTED = new Set([
    'pods',
    'services',
    'secrets',
    'configmaps',
    'persistentvolumeclaims',
    'replicationcontrollers',
    'resourcequotas'
]);
/** The one name a quota resource is compared under (`cpu` → `requests.cpu`, `count/services` → `services`). */
function canonicalQuotaKey(key) {
    if (key === 'cpu' || key === 'memory' || key === 'ephemeral-storage')
        return `requests.${key}`;
    if (key.startsWith('count/') && CORE_COUNTED.has(key.slice(6)))
        return key.slice(6);
    return key;
}
// Resources every container must set once a quota tracks them (quota's podEvaluator.Constraints).
const MUST_SPECIFY = new Set(['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);
function addTo(m, key, q) {
    m.set(key, (m.get(key) ?? 0n) + q);
}
const ONE = 1000000000n;
function storageOf(claim) {
    const spec = (0,manifest_info/* isRecord */.u4)(claim.spec) ? claim.spec : claim;
    const res = (0,manifest_info/* isRecord */.u4)(spec.resources) ? spec.resources : {};
    const req = (0,manifest_info/* isRecord */.u4)(res.requests) ? res.requests : {};
    const v = req.storage;
    return parseQuantity(typeof v === 'string' || typeof v === 'number' ? v : undefined);
}
function claimAmounts(m, claim, times) {
    const spec = (0,manifest_info/* isRecord */.u4)(claim.spec) ? claim.spec : {};
    const storage = storageOf(claim) ?? 0n;
    const cls = (0,manifest_info/* str */.gx)(spec.storageClassName);
    addTo(m, 'persistentvolumeclaims', ONE * BigInt(times));
    addTo(m, 'requests.storage', storage * BigInt(times));
    if (cls) {
        addTo(m, `${cls}.storageclass.storage.k8s.io/persistentvolumeclaims`, ONE * BigInt(times));
        addTo(m, `${cls}.storageclass.storage.k8s.io/requests.storage`, storage * BigInt(times));
    }
}
/** What an object adds to quota usage, as quota's evaluators count it. */
function objectDemand(m, ctx) {
    const obj = m.object;
    const objects = new Map();
    const r = (0,manifest_info/* findResource */.MW)(ctx.surface, obj.apiVersion, obj.kind);
    if (r) {
        const key = canonicalQuotaKey(`count/${r.resource}${r.group ? `.${r.group}` : ''}`);
        addTo(objects, key, ONE);
    }
    if (obj.kind === 'Service' && obj.apiVersion === 'v1') {
        const spec = (0,manifest_info/* isRecord */.u4)(obj.spec) ? obj.spec : {};
        const ports = (0,manifest_info/* records */.V0)(spec.ports).length;
        if (spec.type === 'LoadBalancer')
            addTo(objects, 'services.loadbalancers', ONE);
        if (spec.type === 'NodePort' ||
            (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false))
            addTo(objects, 'services.nodeports', ONE * BigInt(ports));
    }
    if (obj.kind === 'PersistentVolumeClaim' && obj.apiVersion === 'v1')
        claimAmounts(objects, obj, 1);
    const t = (0,pod_templates/* podTemplateOf */.D0)(obj);
    if (!t)
        return { manifest: m, objects };
    const count = (0,pod_templates/* podCount */.RL)(obj, ctx.nodes);
    if (obj.kind === 'StatefulSet') {
        const spec = (0,manifest_info/* isRecord */.u4)(obj.spec) ? obj.spec : {};
        for (const claim of (0,manifest_info/* records */.V0)(spec.volumeClaimTemplates))
            claimAmounts(objects, claim, count);
    }
    return { manifest: m, objects, pod: { resources: podResources(t, ctx.defaults), count } };
}
/** The pod-bound amounts of an object: `pods`, `requests.*`, `limits.*`, times its pod count. */
function podAmounts(d) {
    const out = new Map();
    if (!d.pod || d.pod.count === 0)
        return out;
    const n = BigInt(d.pod.count);
    addTo(out, 'pods', ONE * n);
    for (const [k, q] of d.pod.resources.requests)
        addTo(out, `requests.${k}`, q * n);
    for (const [k, q] of d.pod.resources.limits)
        addTo(out, `limits.${k}`, q * n);
    return out;
}
/** True when a ResourceQuota's scopes select the pod (an unscoped quota selects every pod). */
function quotaSelectsPod(quota, pod) {
    const spec = (0,manifest_info/* isRecord */.u4)(quota.spec) ? quota.spec : {};
    const scopes = (Array.isArray(spec.scopes) ? spec.scopes : []).filter((s) => typeof s === 'string');
    const selector = (0,manifest_info/* isRecord */.u4)(spec.scopeSelector) ? (0,manifest_info/* records */.V0)(spec.scopeSelector.matchExpressions) : [];
    const matches = (scope, operator = 'Exists', values = []) => {
        switch (scope) {
            case 'Terminating':
                return pod.terminating;
            case 'NotTerminating':
                return !pod.terminating;
            case 'BestEffort':
                return pod.bestEffort;
            case 'NotBestEffort':
                return !pod.bestEffort;
            case 'PriorityClass': {
                const p = pod.priorityClassName;
                if (operator === 'Exists')
                    return p !== undefined;
                if (operator === 'DoesNotExist')
                    return p === undefined;
                if (operator === 'In')
                    return p !== undefined && values.includes(p);
                if (operator === 'NotIn')
                    return p === undefined || !values.includes(p);
                return false;
            }
            default:
                // CrossNamespacePodAffinity and scopes this version does not know: assume the pod is not selected.
                return false;
        }
    };
    return (scopes.every(s => matches(s)) &&
        selector.every(e => matches((0,manifest_info/* str */.gx)(e.scopeName) ?? '', (0,manifest_info/* str */.gx)(e.operator), (Array.isArray(e.values) ? e.values : []).filter((v) => typeof v === 'string'))));
}
function isScoped(quota) {
    const spec = (0,manifest_info/* isRecord */.u4)(quota.spec) ? quota.spec : {};
    return (Array.isArray(spec.scopes) && spec.scopes.length > 0) || (0,manifest_info/* isRecord */.u4)(spec.scopeSelector);
}
/** Hard and used amounts of a quota, under canonical names (status first; spec when the controller has not synced yet). */
function quotaFigures(quota) {
    const spec = (0,manifest_info/* isRecord */.u4)(quota.spec) ? quota.spec : {};
    const status = (0,manifest_info/* isRecord */.u4)(quota.status) ? quota.status : {};
    const read = (v, names) => {
        const out = new Map();
        if (!(0,manifest_info/* isRecord */.u4)(v))
            return out;
        for (const [k, x] of Object.entries(v)) {
            const q = parseQuantity(typeof x === 'string' || typeof x === 'number' ? x : undefined);
            if (q === undefined)
                continue;
            out.set(canonicalQuotaKey(k), q);
            names?.set(canonicalQuotaKey(k), k);
        }
        return out;
    };
    const names = new Map();
    const synced = (0,manifest_info/* isRecord */.u4)(status.hard);
    const hard = read(synced ? status.hard : spec.hard, names);
    return { hard, used: read(status.used), names, synced };
}
/** Compares demand with one quota's headroom; every tracked resource the demand touches. */
function headroom(quota, demand) {
    const { hard, used, names, synced } = quotaFigures(quota);
    const short = [];
    const fits = [];
    for (const [key, h] of hard) {
        const need = demand.get(key);
        if (need === undefined || need <= 0n)
            continue;
        const u = used.get(key) ?? 0n;
        const row = { resource: key, need, hard: h, used: u };
        if (need > h - u)
            short.push(row);
        else
            fits.push(row);
    }
    return { short, fits, names, synced };
}
function fmt(key, q) {
    return key === 'pods' ||
        key.includes('count/') ||
        CORE_COUNTED.has(key) ||
        key.endsWith('persistentvolumeclaims') ||
        key.startsWith('services')
        ? String(quantityToNumber(q))
        : formatQuantity(q, key);
}
/** `needs cpu 2, quota compute allows 1.5 more (hard 4, used 2.5)`. */
function describeShortfall(s, quotaName, shownAs = s.resource) {
    const free = s.hard - s.used;
    return `needs ${shownAs} ${fmt(s.resource, s.need)}, quota ${quotaName} allows ${free > 0n ? fmt(s.resource, free) : 'no'} more (hard ${fmt(s.resource, s.hard)}, used ${fmt(s.resource, s.used)})`;
}
/** Plan-declared demand (`assumptions.quota`) under canonical names; values that do not parse are returned apart. */
function declaredDemand(q) {
    const demand = new Map();
    const invalid = [];
    for (const [k, v] of Object.entries(q)) {
        if (v === undefined)
            continue;
        const amount = parseQuantity(v);
        if (amount === undefined)
            invalid.push(`${k}: ${String(v)}`);
        else
            demand.set(canonicalQuotaKey(k), amount);
    }
    return { demand, invalid };
}
/** Containers missing a resource a quota requires every container to set: the pods would be rejected. */
function missingRequirements(quota, demands) {
    const { hard } = quotaFigures(quota);
    const required = [...hard.keys()].filter(k => MUST_SPECIFY.has(k));
    if (required.length === 0)
        return [];
    const out = [];
    for (const d of demands) {
        if (!d.pod || !quotaSelectsPod(quota, d.pod.resources))
            continue;
        const missing = new Set();
        const containers = new Set();
        for (const c of d.pod.resources.containers) {
            for (const key of required) {
                const [kind, res] = key.split('.');
                if (!c[kind].has(res)) {
                    missing.add(key);
                    containers.add(c.name);
                }
            }
        }
        if (missing.size)
            out.push({ demand: d, missing: [...missing].sort(), containers: [...containers] });
    }
    return out;
}
/** LimitRange min/max violations of containers and pods: the API would reject those pods. */
function limitRangeViolations(lr, demands) {
    const spec = (0,manifest_info/* isRecord */.u4)(lr.spec) ? lr.spec : {};
    const out = [];
    const amounts = (v) => {
        const m = new Map();
        if ((0,manifest_info/* isRecord */.u4)(v))
            for (const [k, x] of Object.entries(v)) {
                const q = parseQuantity(typeof x === 'string' || typeof x === 'number' ? x : undefined);
                if (q !== undefined)
                    m.set(k, q);
            }
        return m;
    };
    for (const d of demands) {
        if (!d.pod)
            continue;
        const problems = [];
        for (const item of (0,manifest_info/* records */.V0)(spec.limits)) {
            const max = amounts(item.max);
            const min = amounts(item.min);
            const subjects = item.type === 'Container'
                ? d.pod.resources.containers.map(c => ({
                    what: `container ${c.name}`,
                    requests: c.requests,
                    limits: c.limits
                }))
                : item.type === 'Pod'
                    ? [
                        {
                            what: 'the pod',
                            requests: d.pod.resources.requests,
                            limits: d.pod.resources.limits
                        }
                    ]
                    : [];
            for (const s of subjects) {
                for (const [r, hi] of max) {
                    const l = s.limits.get(r);
                    if (l === undefined)
                        problems.push(`${s.what} sets no ${r} limit, but LimitRange ${lr.metadata.name} has max ${r} ${formatQuantity(hi, r)}`);
                    else if (l > hi)
                        problems.push(`${s.what} limits ${r} to ${formatQuantity(l, r)}, above the max ${formatQuantity(hi, r)}`);
                }
                for (const [r, lo] of min) {
                    const q = s.requests.get(r);
                    if (q === undefined)
                        problems.push(`${s.what} requests no ${r}, but LimitRange ${lr.metadata.name} has min ${r} ${formatQuantity(lo, r)}`);
                    else if (q < lo)
                        problems.push(`${s.what} requests ${r} ${formatQuantity(q, r)}, below the min ${formatQuantity(lo, r)}`);
                }
            }
        }
        if (problems.length)
            out.push({ demand: d, problems });
    }
    return out;
}
async function listIn(ctx, apiVersion, kind) {
    try {
        return (await ctx.cluster.list(apiVersion, kind, { namespace: ctx.namespace })).items;
    }
    catch (err) {
        if (err instanceof types/* KubeApiError */.W3 && err.status === 403)
            return 'forbidden';
        throw err;
    }
}
async function nodeCount(ctx) {
    try {
        const n = (await ctx.cluster.list('v1', 'Node')).items.length;
        return { nodes: Math.max(1, n) };
    }
    catch (err) {
        if (err instanceof types/* KubeApiError */.W3 && err.status === 403)
            return { nodes: 1, note: 'nodes cannot be listed (forbidden): DaemonSets counted as one pod' };
        throw err;
    }
}
function subtract(into, from) {
    for (const [k, q] of from)
        into.set(k, (into.get(k) ?? 0n) - q);
}
/** The `quota` kind: one result per ResourceQuota and LimitRange of the target namespace. */
const quotaCheck = {
    kind: quota_KIND,
    applies: ctx => ctx.loaded.plan.assumptions?.quota !== undefined || ctx.manifests.length > 0,
    run: ctx => (0,checks_result/* timed */.ay)(quota_KIND, quota_KIND, () => checkQuota(ctx))
};
async function checkQuota(ctx) {
    const [quotas, limitRanges] = await Promise.all([
        listIn(ctx, 'v1', 'ResourceQuota'),
        listIn(ctx, 'v1', 'LimitRange')
    ]);
    const quotaLocation = ctx.loaded.locate(['assumptions', 'quota']);
    if (quotas === 'forbidden' || limitRanges === 'forbidden')
        return [
            (0,checks_result/* checkResult */.iJ)(quota_KIND, ctx.namespace, {
                verdict: 'warn',
                severity: 'medium',
                message: `cannot read the ResourceQuotas and LimitRanges of ${ctx.namespace} (forbidden), so headroom is unknown`,
                adjustment: `grant this identity list on resourcequotas and limitranges in ${ctx.namespace} (the built-in view role has it)`,
                location: quotaLocation
            })
        ];
    if (quotas.length === 0 && limitRanges.length === 0)
        return [
            (0,checks_result/* checkResult */.iJ)(quota_KIND, ctx.namespace, {
                verdict: 'pass',
                message: `namespace ${ctx.namespace} has no ResourceQuota or LimitRange`,
                location: quotaLocation
            })
        ];
    const inNamespace = ctx.manifests.filter(m => {
        const r = (0,manifest_info/* findResource */.MW)(ctx.surface, m.object.apiVersion, m.object.kind);
        return (r?.namespaced !== false && (m.object.metadata.namespace ?? ctx.namespace) === ctx.namespace);
    });
    const defaults = containerDefaults(limitRanges.map(lr => ({ name: lr.metadata.name, spec: lr.spec })));
    const needsNodes = inNamespace.some(m => m.object.kind === 'DaemonSet');
    const { nodes, note } = needsNodes ? await nodeCount(ctx) : { nodes: 1, note: undefined };
    const dctx = { surface: ctx.surface, defaults, nodes };
    const demands = inNamespace.map(m => objectDemand(m, dctx));
    const declared = ctx.loaded.plan.assumptions?.quota;
    const results = [];
    if (declared) {
        const { demand, invalid } = declaredDemand(declared);
        if (invalid.length)
            results.push((0,checks_result/* checkResult */.iJ)(quota_KIND, 'assumptions.quota', {
                verdict: 'fail',
                severity: 'high',
                message: `assumptions.quota has values that are not quantities: ${invalid.join(', ')}`,
                adjustment: 'write quantities as Kubernetes does: cpu "500m" or "2", memory "512Mi" or "4Gi", pods 10',
                location: quotaLocation
            }));
        for (const quota of quotas)
            results.push(judgeHeadroom(quota, demand, [], ctx, quotaLocation, 'the plan declares'));
    }
    else if (quotas.length > 0) {
        // Objects that exist already are counted by how much they change: their usage is in `used`.
        const live = await mapBounded(inNamespace, m => ctx.cluster
            .get({
            apiVersion: m.object.apiVersion,
            kind: m.object.kind,
            name: m.object.metadata.name,
            namespace: ctx.namespace
        })
            .catch(() => undefined));
        for (const quota of quotas) {
            const total = new Map();
            const contributions = [];
            demands.forEach((d, i) => {
                const mine = new Map();
                if (!isScoped(quota))
                    for (const [k, q] of d.objects)
                        addTo(mine, k, q);
                if (d.pod && quotaSelectsPod(quota, d.pod.resources))
                    for (const [k, q] of podAmounts(d))
                        addTo(mine, k, q);
                const was = live[i];
                if (was) {
                    const old = objectDemand({ ...d.manifest, object: was }, dctx);
                    const oldMine = new Map();
                    if (!isScoped(quota))
                        for (const [k, q] of old.objects)
                            addTo(oldMine, k, q);
                    if (old.pod && quotaSelectsPod(quota, old.pod.resources))
                        for (const [k, q] of podAmounts(old))
                            addTo(oldMine, k, q);
                    subtract(mine, oldMine);
                }
                for (const [k, q] of mine)
                    addTo(total, k, q);
                contributions.push({ demand: d, amounts: mine });
            });
            results.push(judgeHeadroom(quota, total, contributions, ctx, quotaLocation, 'the manifests add up to'));
        }
    }
    for (const quota of quotas) {
        const missing = missingRequirements(quota, demands);
        if (missing.length === 0)
            continue;
        const lines = missing.map(x => `${(0,manifest_info/* describeManifest */.FK)(x.demand.manifest)}: containers ${x.containers.join(', ')} set no ${x.missing.join(', ')}`);
        const keys = [...new Set(missing.flatMap(x => x.missing))].sort();
        results.push((0,checks_result/* checkResult */.iJ)(quota_KIND, `${ctx.namespace}/${quota.metadata.name} requires ${keys.join(', ')}`, {
            verdict: 'fail',
            severity: 'high',
            message: `quota ${quota.metadata.name} tracks ${keys.join(', ')}, so every container must set ${keys.length === 1 ? 'it' : 'them'}; pods of ${missing.length} workload${missing.length === 1 ? '' : 's'} would be rejected ("must specify ${keys.join(',')}")`,
            evidence: `${lines.join('\n')}${defaults.source ? '' : `\nno LimitRange in ${ctx.namespace} gives defaults`}`,
            adjustment: `set resources.${keys.map(k => k).join(' and resources.')} on every container, or add a LimitRange with default/defaultRequest for ${keys.map(k => k.split('.')[1]).join(', ')} in ${ctx.namespace}`,
            location: (0,manifest_info/* manifestLocation */.zW)(missing[0].demand.manifest),
            data: { quota: quota.metadata.name, missing: keys }
        }));
    }
    for (const lr of limitRanges) {
        const violations = limitRangeViolations(lr, demands);
        results.push((0,checks_result/* checkResult */.iJ)(quota_KIND, `${ctx.namespace}/${lr.metadata.name} (LimitRange)`, {
            verdict: violations.length ? 'fail' : 'pass',
            severity: violations.length ? 'high' : 'info',
            message: violations.length
                ? `${violations.length} workload${violations.length === 1 ? '' : 's'} break LimitRange ${lr.metadata.name}: their pods would be rejected`
                : `every pod fits LimitRange ${lr.metadata.name}${defaults.source === lr.metadata.name ? ' (its defaults were applied to containers that set none)' : ''}`,
            evidence: violations.length
                ? violations
                    .map(v => `${(0,manifest_info/* describeManifest */.FK)(v.demand.manifest)}: ${v.problems.join('; ')}`)
                    .join('\n')
                : undefined,
            adjustment: violations.length
                ? `change the containers' resources to lie within the LimitRange, or ask the namespace admin to widen it`
                : undefined,
            location: violations.length ? (0,manifest_info/* manifestLocation */.zW)(violations[0].demand.manifest) : undefined
        }));
    }
    if (note)
        for (const r of results)
            r.evidence = r.evidence ? `${r.evidence}\n${note}` : note;
    return results;
}
function judgeHeadroom(quota, demand, contributions, ctx, planLocation, source) {
    const name = quota.metadata.name;
    const { short, fits, names, synced } = headroom(quota, demand);
    const shown = (k) => names.get(k) ?? k;
    const rows = [...short, ...fits].map(s => `${shown(s.resource)}: needs ${fmt(s.resource, s.need)}, hard ${fmt(s.resource, s.hard)}, used ${fmt(s.resource, s.used)}, free ${fmt(s.resource, s.hard - s.used)}`);
    const data = {
        quota: name,
        resources: Object.fromEntries([...short, ...fits].map(s => [
            shown(s.resource),
            {
                need: quantityToNumber(s.need),
                hard: quantityToNumber(s.hard),
                used: quantityToNumber(s.used)
            }
        ]))
    };
    const target = `${ctx.namespace}/${name}`;
    const syncNote = synced
        ? ''
        : '\nthe quota controller has not reported usage yet: used counted as 0';
    if (short.length === 0)
        return (0,checks_result/* checkResult */.iJ)(quota_KIND, target, {
            verdict: 'pass',
            message: rows.length
                ? `${source} what quota ${name} leaves room for (${fits.map(s => `${shown(s.resource)} ${fmt(s.resource, s.need)} of ${fmt(s.resource, s.hard - s.used)} free`).join(', ')})`
                : `quota ${name} tracks nothing the plan adds`,
            evidence: rows.length ? rows.join('\n') + syncNote : undefined,
            data,
            location: planLocation
        });
    // The largest contributor to the first shortfall is where a person would start cutting.
    const first = short[0].resource;
    const top = contributions
        .filter(c => (c.amounts.get(first) ?? 0n) > 0n)
        .sort((a, b) => Number((b.amounts.get(first) ?? 0n) - (a.amounts.get(first) ?? 0n)));
    const contributors = top
        .slice(0, 3)
        .map(c => `${(0,manifest_info/* describeManifest */.FK)(c.demand.manifest)} ${fmt(first, c.amounts.get(first) ?? 0n)}`);
    return (0,checks_result/* checkResult */.iJ)(quota_KIND, target, {
        verdict: 'fail',
        severity: 'high',
        message: short.map(s => describeShortfall(s, name, shown(s.resource))).join('; '),
        evidence: rows.join('\n') +
            (contributors.length
                ? `\nlargest ${shown(first)} requests: ${contributors.join(', ')}`
                : '') +
            syncNote,
        adjustment: `raise quota ${name}'s ${short.map(s => `${shown(s.resource)} to at least ${fmt(s.resource, s.used + s.need)}`).join(', ')} (namespace admin), or lower replicas or requests${contributors.length ? ` (largest: ${top[0] ? (0,manifest_info/* describeManifest */.FK)(top[0].demand.manifest) : ''})` : ''}`,
        data,
        location: top[0] ? (0,manifest_info/* manifestLocation */.zW)(top[0].demand.manifest) : planLocation
    });
}

;// CONCATENATED MODULE: ./src/checks/storage-class.ts
/**
 * Storage classes: each class in `assumptions.storageClasses` exists, and
 * every claim in the manifests (PersistentVolumeClaims, StatefulSet
 * volumeClaimTemplates, generic ephemeral volumes) names a class that exists,
 * or names none while the cluster has a default class.
 *
 * Claim rules are a list: the access-modes-versus-provisioner rule is one
 * more `ClaimRule` in `CLAIM_RULES` (modes of known provisioners from
 * PROVISIONER_ACCESS_MODES, overridden by the class annotation
 * `phase-gate.dev/access-modes`). Binding mode is judged beside the claims:
 * a WaitForFirstConsumer claim nothing in the plan mounts never binds (a
 * phase or tracer waiting for it times out), and an Immediate class of a
 * zonal or node-local provisioner places volumes before the pod.
 */





const storage_class_KIND = 'storage-class';
const DEFAULT_ANNOTATIONS = [
    'storageclass.kubernetes.io/is-default-class',
    'storageclass.beta.kubernetes.io/is-default-class'
];
/** The StorageClass annotation that says which access modes the class gives (comma-separated). */
const ACCESS_MODES_ANNOTATION = 'phase-gate.dev/access-modes';
const RWO = 'ReadWriteOnce';
const ROX = 'ReadOnlyMany';
const RWX = 'ReadWriteMany';
const RWOP = 'ReadWriteOncePod';
/**
 * Access modes of filesystem volumes that known provisioners give (ReadWriteOncePod needs a CSI
 * driver). From each driver's documentation; a class annotation overrides it.
 */
const PROVISIONER_ACCESS_MODES = {
    'ebs.csi.aws.com': [RWO, RWOP],
    'kubernetes.io/aws-ebs': [RWO],
    'efs.csi.aws.com': [RWO, ROX, RWX, RWOP],
    'pd.csi.storage.gke.io': [RWO, ROX, RWOP],
    'kubernetes.io/gce-pd': [RWO, ROX],
    'filestore.csi.storage.gke.io': [RWO, ROX, RWX],
    'disk.csi.azure.com': [RWO, RWOP],
    'kubernetes.io/azure-disk': [RWO],
    'file.csi.azure.com': [RWO, ROX, RWX, RWOP],
    'kubernetes.io/azure-file': [RWO, ROX, RWX],
    'cinder.csi.openstack.org': [RWO, RWOP],
    'manila.csi.openstack.org': [RWO, ROX, RWX],
    'csi.vsphere.vmware.com': [RWO, RWOP],
    'rbd.csi.ceph.com': [RWO, RWOP],
    'cephfs.csi.ceph.com': [RWO, ROX, RWX, RWOP],
    'openshift-storage.rbd.csi.ceph.com': [RWO, RWOP],
    'openshift-storage.cephfs.csi.ceph.com': [RWO, ROX, RWX, RWOP],
    'nfs.csi.k8s.io': [RWO, ROX, RWX, RWOP],
    'smb.csi.k8s.io': [RWO, ROX, RWX, RWOP],
    'driver.longhorn.io': [RWO, RWX, RWOP],
    'topolvm.io': [RWO, RWOP],
    'rancher.io/local-path': [RWO],
    'kubernetes.io/no-provisioner': [RWO],
    'k8s.io/minikube-hostpath': [RWO, ROX, RWX],
    'phase-gate.dev/local': [RWO, RWOP]
};
/** Provisioners whose volumes live in one zone or on one node: Immediate binding places them before the pod. */
const TOPOLOGY_BOUND_PROVISIONERS = new Set([
    'ebs.csi.aws.com',
    'kubernetes.io/aws-ebs',
    'pd.csi.storage.gke.io',
    'kubernetes.io/gce-pd',
    'disk.csi.azure.com',
    'kubernetes.io/azure-disk',
    'cinder.csi.openstack.org',
    'topolvm.io',
    'rancher.io/local-path',
    'kubernetes.io/no-provisioner'
]);
/** The modes a class gives and where that is known from; undefined for an unknown provisioner without annotation. */
function classAccessModes(c) {
    if (c.accessModes?.length)
        return { modes: c.accessModes, from: `its annotation ${ACCESS_MODES_ANNOTATION}` };
    const known = PROVISIONER_ACCESS_MODES[c.provisioner];
    return known
        ? { modes: known, from: `phase-gate's table of known provisioners (${c.provisioner})` }
        : undefined;
}
/** A StorageClass object reduced to what the rules use. */
function storageClassInfo(obj) {
    const a = obj.metadata.annotations ?? {};
    return {
        name: obj.metadata.name,
        provisioner: (0,manifest_info/* str */.gx)(obj.provisioner) ?? '?',
        isDefault: DEFAULT_ANNOTATIONS.some(k => a[k] === 'true'),
        reclaimPolicy: (0,manifest_info/* str */.gx)(obj.reclaimPolicy),
        volumeBindingMode: (0,manifest_info/* str */.gx)(obj.volumeBindingMode),
        allowVolumeExpansion: obj.allowVolumeExpansion === true,
        creationTimestamp: obj.metadata.creationTimestamp,
        ...(a[ACCESS_MODES_ANNOTATION]
            ? {
                accessModes: a[ACCESS_MODES_ANNOTATION].split(/[,\s]+/).filter(Boolean)
            }
            : {})
    };
}
/** Every claim of the manifests, with its field path. */
function claimsOf(manifests) {
    const out = [];
    const claim = (manifest, path, name, spec) => {
        const s = (0,manifest_info/* isRecord */.u4)(spec) ? spec : {};
        out.push({
            manifest,
            path,
            name,
            className: typeof s.storageClassName === 'string' ? s.storageClassName : undefined,
            accessModes: (Array.isArray(s.accessModes) ? s.accessModes : []).filter((m) => typeof m === 'string')
        });
    };
    for (const m of manifests) {
        const obj = m.object;
        if (obj.kind === 'PersistentVolumeClaim' && obj.apiVersion === 'v1')
            claim(m, 'spec', obj.metadata.name, obj.spec);
        if (obj.kind === 'StatefulSet' && (0,manifest_info/* isRecord */.u4)(obj.spec))
            (0,manifest_info/* records */.V0)(obj.spec.volumeClaimTemplates).forEach((t, i) => {
                const meta = (0,manifest_info/* isRecord */.u4)(t.metadata) ? t.metadata : {};
                claim(m, `spec.volumeClaimTemplates[${i}]`, `volumeClaimTemplates ${(0,manifest_info/* str */.gx)(meta.name) ?? i}`, t.spec);
            });
        const t = (0,pod_templates/* podTemplateOf */.D0)(obj);
        if (t)
            (0,manifest_info/* records */.V0)(t.spec.volumes).forEach((v, i) => {
                const eph = (0,manifest_info/* isRecord */.u4)(v.ephemeral) && (0,manifest_info/* isRecord */.u4)(v.ephemeral.volumeClaimTemplate)
                    ? v.ephemeral.volumeClaimTemplate
                    : undefined;
                if (eph)
                    claim(m, `${t.path}.volumes[${i}].ephemeral.volumeClaimTemplate`, `ephemeral volume ${(0,manifest_info/* str */.gx)(v.name) ?? i}`, eph.spec);
            });
    }
    return out;
}
function listClasses(classes) {
    if (classes.length === 0)
        return 'none';
    return classes.map(c => `${c.name}${c.isDefault ? ' (default)' : ''}`).join(', ');
}
/** The default class the apiserver would assign: the newest of the defaults (DefaultStorageClass admission). */
function defaultClass(classes) {
    return classes
        .filter(c => c.isDefault)
        .sort((a, b) => (b.creationTimestamp ?? '').localeCompare(a.creationTimestamp ?? '') ||
        a.name.localeCompare(b.name))[0];
}
/** The class a claim names exists, or it names none and there is a default. */
const classExists = (claim, classes) => {
    if (claim.className === '')
        return {
            verdict: 'pass',
            message: `${claim.name} binds a pre-provisioned PersistentVolume (storageClassName: "")`
        };
    if (claim.className !== undefined) {
        const c = classes.find(x => x.name === claim.className);
        return c
            ? {
                verdict: 'pass',
                message: `${claim.name} uses StorageClass ${c.name} (${c.provisioner})`,
                data: { class: c.name }
            }
            : {
                verdict: 'fail',
                severity: 'high',
                message: `${claim.name} names StorageClass ${claim.className}, which does not exist: the claim would stay Pending`,
                evidence: `StorageClasses here: ${listClasses(classes)}`,
                adjustment: classes.length
                    ? `use one of ${classes.map(x => x.name).join(', ')}, or ask an admin to create ${claim.className}`
                    : `this cluster has no StorageClass: ask an admin for one, or bind pre-provisioned volumes (storageClassName: "")`
            };
    }
    const d = defaultClass(classes);
    if (!d)
        return {
            verdict: 'fail',
            severity: 'high',
            message: `${claim.name} names no StorageClass and the cluster has no default: the claim would stay Pending`,
            evidence: `StorageClasses here: ${listClasses(classes)}`,
            adjustment: classes.length
                ? `set storageClassName to one of ${classes.map(x => x.name).join(', ')}`
                : 'ask an admin for a StorageClass, or bind pre-provisioned volumes (storageClassName: "")'
        };
    const defaults = classes.filter(c => c.isDefault);
    if (defaults.length > 1)
        return {
            verdict: 'warn',
            severity: 'low',
            message: `${claim.name} names no StorageClass; the cluster has ${defaults.length} default classes, so it gets the newest, ${d.name}`,
            evidence: `default classes: ${defaults.map(c => c.name).join(', ')}`,
            adjustment: `set storageClassName explicitly`,
            data: { class: d.name }
        };
    return {
        verdict: 'pass',
        message: `${claim.name} gets the default StorageClass ${d.name} (${d.provisioner})`,
        data: { class: d.name }
    };
};
/** The rules every claim goes through, in order; the first that fails or warns decides. */
/** The class a claim gets: the one it names, else the default ('' binds pre-provisioned volumes: none). */
function claimClass(claim, classes) {
    if (claim.className === '')
        return undefined;
    if (claim.className !== undefined)
        return classes.find(c => c.name === claim.className);
    return defaultClass(classes);
}
/** The claim's access modes are ones its class can give; no opinion when the provisioner is unknown. */
const accessModesSupported = (claim, classes) => {
    const c = claimClass(claim, classes);
    if (!c || claim.accessModes.length === 0)
        return undefined;
    const known = classAccessModes(c);
    if (!known)
        return undefined;
    const missing = claim.accessModes.filter(m => !known.modes.includes(m));
    if (missing.length === 0)
        return {
            verdict: 'pass',
            message: `${claim.name} asks for ${claim.accessModes.join(', ')}, which StorageClass ${c.name} gives`,
            data: { class: c.name, accessModes: claim.accessModes, classModes: known.modes }
        };
    const able = classes.filter(x => {
        const m = classAccessModes(x);
        return x.name !== c.name && m !== undefined && claim.accessModes.every(a => m.modes.includes(a));
    });
    return {
        verdict: 'fail',
        severity: 'high',
        message: `${claim.name} asks for ${missing.join(', ')}, which StorageClass ${c.name} (${c.provisioner}) cannot give: the claim would stay Pending (ProvisioningFailed)`,
        evidence: `StorageClass ${c.name} gives ${known.modes.join(', ')} (from ${known.from})`,
        adjustment: able.length
            ? `use a class that gives ${claim.accessModes.join(', ')}: ${able.map(x => x.name).join(', ')}`
            : missing.includes(RWX)
                ? 'no class here gives ReadWriteMany: use ReadWriteOnce with one writer (a StatefulSet with a claim per replica), or ask for a shared-filesystem class (NFS, CephFS, EFS, Azure Files); if the class can do it, say so with the annotation phase-gate.dev/access-modes'
                : `ask for a class that gives ${missing.join(', ')}, or annotate the class with phase-gate.dev/access-modes if it can`,
        data: { class: c.name, accessModes: claim.accessModes, classModes: known.modes, missing }
    };
};
const CLAIM_RULES = [classExists, accessModesSupported];
/** Claim names that a pod template among these manifests mounts, by namespace (`ns/name`). */
function mountedClaims(manifests, defaultNamespace) {
    const out = new Set();
    for (const m of manifests) {
        const t = (0,pod_templates/* podTemplateOf */.D0)(m.object);
        if (!t)
            continue;
        const ns = m.object.metadata.namespace ?? defaultNamespace;
        for (const v of (0,manifest_info/* records */.V0)(t.spec.volumes)) {
            const pvc = (0,manifest_info/* isRecord */.u4)(v.persistentVolumeClaim)
                ? (0,manifest_info/* str */.gx)(v.persistentVolumeClaim.claimName)
                : undefined;
            if (pvc)
                out.add(`${ns}/${pvc}`);
        }
    }
    return out;
}
/** What the class's binding mode means for this claim; undefined when there is nothing to say. */
function judgeBinding(claim, classes, mounted, defaultNamespace) {
    const c = claimClass(claim, classes);
    if (!c)
        return undefined;
    const mode = c.volumeBindingMode ?? 'Immediate';
    const obj = claim.manifest.object;
    if (mode === 'WaitForFirstConsumer' && obj.kind === 'PersistentVolumeClaim') {
        const key = `${obj.metadata.namespace ?? defaultNamespace}/${obj.metadata.name}`;
        if (mounted.has(key))
            return undefined;
        return {
            verdict: 'warn',
            severity: 'medium',
            message: `${claim.name} uses StorageClass ${c.name} (volumeBindingMode WaitForFirstConsumer) and no pod in the plan mounts it: it stays Pending until one does, so a phase or tracer waiting for it to be Bound times out`,
            adjustment: `apply the workload that mounts ${obj.metadata.name} in the same phase, or use a class with volumeBindingMode Immediate${classes.some(x => (x.volumeBindingMode ?? 'Immediate') === 'Immediate')
                ? ` (${classes
                    .filter(x => (x.volumeBindingMode ?? 'Immediate') === 'Immediate')
                    .map(x => x.name)
                    .join(', ')})`
                : ''} for a claim that must bind on its own`,
            data: { class: c.name, volumeBindingMode: mode }
        };
    }
    if (mode === 'Immediate' && TOPOLOGY_BOUND_PROVISIONERS.has(c.provisioner))
        return {
            verdict: 'warn',
            severity: 'low',
            message: `${claim.name} uses StorageClass ${c.name} (${c.provisioner}, volumeBindingMode Immediate): the volume is placed in a zone or on a node before the pod is scheduled, so the pod may then find no node it may run on (volume node affinity conflict)`,
            adjustment: `use a class with volumeBindingMode WaitForFirstConsumer${classes.some(x => x.provisioner === c.provisioner && x.volumeBindingMode === 'WaitForFirstConsumer')
                ? ` (${classes
                    .filter(x => x.provisioner === c.provisioner && x.volumeBindingMode === 'WaitForFirstConsumer')
                    .map(x => x.name)
                    .join(', ')})`
                : ''}, or pin the pod to the volume's zone`,
            data: { class: c.name, volumeBindingMode: mode }
        };
    return undefined;
}
/** Judges one claim with every rule: the worst verdict's fields, else the first pass. */
function judgeClaim(claim, classes, rules = CLAIM_RULES) {
    const outcomes = rules
        .map(r => r(claim, classes))
        .filter((o) => o !== undefined);
    const rank = { fail: 3, error: 3, warn: 2, pass: 1 };
    return (outcomes.sort((a, b) => (rank[b.verdict] ?? 0) - (rank[a.verdict] ?? 0))[0] ?? {
        verdict: 'pass',
        message: `${claim.name}: nothing to check`
    });
}
/** The `storage-class` kind: one result per assumed class and per claim in the manifests. */
const storageClassCheck = {
    kind: storage_class_KIND,
    applies: ctx => (ctx.loaded.plan.assumptions?.storageClasses?.length ?? 0) > 0 ||
        claimsOf(ctx.manifests).length > 0,
    run: ctx => (0,checks_result/* timed */.ay)(storage_class_KIND, storage_class_KIND, () => checkStorageClasses(ctx))
};
async function checkStorageClasses(ctx) {
    const assumed = ctx.loaded.plan.assumptions?.storageClasses ?? [];
    const claims = claimsOf(ctx.manifests);
    let classes;
    try {
        classes = (await ctx.cluster.list('storage.k8s.io/v1', 'StorageClass')).items.map(storageClassInfo);
    }
    catch (err) {
        if (!(err instanceof types/* KubeApiError */.W3 && err.status === 403))
            throw err;
        return [
            (0,checks_result/* checkResult */.iJ)(storage_class_KIND, 'storage classes', {
                verdict: 'warn',
                severity: 'medium',
                message: `cannot list StorageClasses (forbidden): ${assumed.length} assumed class${assumed.length === 1 ? '' : 'es'} and ${claims.length} claim${claims.length === 1 ? '' : 's'} unchecked`,
                evidence: err.message,
                adjustment: 'grant this identity list on storageclasses.storage.k8s.io (cluster-scoped, read-only), or have an admin confirm the classes',
                location: ctx.loaded.locate(['assumptions', 'storageClasses'])
            })
        ];
    }
    const results = assumed.map((name, i) => {
        const location = ctx.loaded.locate(['assumptions', 'storageClasses', i]);
        const c = classes.find(x => x.name === name);
        if (!c)
            return (0,checks_result/* checkResult */.iJ)(storage_class_KIND, name, {
                verdict: 'fail',
                severity: 'high',
                message: `StorageClass ${name} does not exist; this cluster has ${listClasses(classes)}`,
                adjustment: classes.length
                    ? `use one of ${classes.map(x => x.name).join(', ')} in the plan and manifests, or ask an admin to create ${name}`
                    : 'ask an admin for a StorageClass',
                data: { classes: classes.map(x => x.name) },
                location
            });
        return (0,checks_result/* checkResult */.iJ)(storage_class_KIND, name, {
            verdict: 'pass',
            message: `StorageClass ${name} exists${c.isDefault ? ' (the default)' : ''}: provisioner ${c.provisioner}${c.volumeBindingMode ? `, ${c.volumeBindingMode}` : ''}${c.reclaimPolicy ? `, reclaim ${c.reclaimPolicy}` : ''}`,
            data: { ...c },
            location
        });
    });
    for (const claim of claims) {
        const o = claim.manifest.object;
        results.push((0,checks_result/* checkResult */.iJ)(storage_class_KIND, `${o.kind}/${o.metadata.name} ${claim.path}`, {
            ...judgeClaim(claim, classes),
            location: (0,manifest_info/* manifestLocation */.zW)(claim.manifest, claim.path)
        }));
    }
    // Binding modes: who mounts each claim, across the assumed manifests, phases and tracers.
    if (claims.length) {
        const plan = await (0,plan_objects/* loadPlanObjects */.OT)(ctx.loaded, ctx.settings.workspace);
        const everything = [
            ...ctx.manifests,
            ...[...plan.phases, ...plan.tracers].flatMap(u => u.manifests)
        ];
        const mounted = mountedClaims(everything, ctx.namespace);
        for (const claim of claims) {
            const b = judgeBinding(claim, classes, mounted, ctx.namespace);
            const o = claim.manifest.object;
            if (b)
                results.push((0,checks_result/* checkResult */.iJ)(storage_class_KIND, `binding ${o.kind}/${o.metadata.name} ${claim.path}`, {
                    ...b,
                    location: (0,manifest_info/* manifestLocation */.zW)(claim.manifest, claim.path)
                }));
        }
    }
    return results;
}

// EXTERNAL MODULE: ./src/kube/apply.ts
var apply = __webpack_require__(9501);
// EXTERNAL MODULE: ./src/plan/manifests.ts
var plan_manifests = __webpack_require__(1553);
;// CONCATENATED MODULE: ./src/checks/admission.ts
/**
 * Admission, proven: every manifest goes through a server-side apply with
 * dryRun=All, as the phase will apply it (target namespace filled in, run
 * labels on metadata), so webhooks, ValidatingAdmissionPolicies, Pod
 * Security, quota and schema validation all answer now. Manifests that
 * depend on a Namespace or CRD the plan creates in a phase are skipped (the
 * phase gate dry-runs them right before applying); a webhook that cannot do
 * dry-runs is a warning naming it.
 */








const admission_KIND = 'admission';
/** Why a manifest cannot be dry-run yet, or undefined when it can. */
function dependencyOf(m, opts) {
    const obj = m.object;
    const where = (c) => c.phase ? `from ${(0,plan_objects/* describePhase */.$8)(c.phase)}` : `created by ${c.manifest.file}:${c.manifest.line}`;
    if (!opts.served) {
        const crd = opts.creations.crds.get(`${(0,types/* splitApiVersion */.Np)(obj.apiVersion).group}/${obj.kind}`);
        if (crd)
            return `depends on CustomResourceDefinition ${crd.object.metadata.name} ${where(crd)}`;
        return undefined;
    }
    if (!opts.namespaced)
        return undefined;
    const ns = obj.metadata.namespace ?? opts.namespace;
    if (opts.namespaceExists(ns))
        return undefined;
    const creator = opts.creations.namespaces.get(ns);
    if (creator)
        return `depends on Namespace ${ns} ${where(creator)}`;
    return `namespace ${ns} does not exist (and the plan does not create it)`;
}
/** The webhook an apiserver names when it refuses a dry-run because of the webhook's side effects. */
function dryRunUnsupportedWebhook(message) {
    return /admission webhook "([^"]+)" does not support dry run/.exec(message)?.[1];
}
/** What rejected the object, from the server's message, and what to do about it. */
function classifyRejection(message, status) {
    if (/violates PodSecurity/.test(message))
        return {
            cause: 'Pod Security admission',
            adjustment: 'set the securityContext fields the message lists (the divergence check names each field), or ask for a namespace with a laxer pod-security.kubernetes.io/enforce level'
        };
    if (/exceeded quota|must specify (requests|limits)/.test(message))
        return {
            cause: 'ResourceQuota',
            adjustment: 'lower requests or replicas, or ask the namespace admin to raise the quota (the quota check shows the headroom)'
        };
    if (/ValidatingAdmissionPolicy/.test(message))
        return {
            cause: 'a ValidatingAdmissionPolicy',
            adjustment: 'change the manifest to satisfy the policy the message names, or ask its owner for an exception'
        };
    if (/admission webhook "[^"]+"/.test(message) || /failed calling webhook/.test(message))
        return {
            cause: 'an admission webhook',
            adjustment: /failed calling webhook/.test(message)
                ? 'the webhook could not be reached: ask its owner to fix it (or its failurePolicy) before deploying'
                : 'change the manifest to satisfy the webhook, or ask its owner for an exception'
        };
    if (/is forbidden: User|cannot (create|patch) resource/.test(message))
        return {
            cause: 'RBAC',
            adjustment: 'grant the missing rights (the permission check prints the Role rules)'
        };
    if (status === 422 ||
        /Invalid value|Required value|Unsupported value|unknown field|strict decoding|not declared in schema|Forbidden:/.test(message))
        return { cause: 'schema validation', adjustment: 'fix the fields the message names' };
    if (status === 409)
        return {
            cause: 'a conflict with the live object',
            adjustment: 'look at who else manages the object (metadata.managedFields)'
        };
    return { cause: 'the API server', adjustment: 'fix what the message names' };
}
async function webhookIndex(ctx) {
    const index = new Map();
    await Promise.all(['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'].map(async (kind) => {
        try {
            const { items } = await ctx.cluster.list('admissionregistration.k8s.io/v1', kind);
            for (const cfg of items)
                for (const w of (0,manifest_info/* records */.V0)(cfg.webhooks)) {
                    const name = (0,manifest_info/* str */.gx)(w.name);
                    if (name && !index.has(name))
                        index.set(name, {
                            configuration: cfg.metadata.name,
                            kind,
                            sideEffects: (0,manifest_info/* str */.gx)(w.sideEffects)
                        });
                }
        }
        catch {
            // Reading webhook configurations needs cluster-wide rights; the warning then names the webhook only.
        }
    }));
    return index;
}
/** Judges a dry-run's rejection; throws what is not an answer about the object (transport, authentication, 5xx). */
function judgeRejection(err, what, webhooks) {
    // 429 (the server is shedding load), 401 and an answer that is not the API's (a proxy's
    // HTML page) say nothing about the object: could not check.
    if (!(err instanceof types/* KubeApiError */.W3) ||
        err.transport ||
        err.status === 401 ||
        err.status === 429 ||
        err.reason === 'MalformedResponse')
        throw err;
    const webhook = dryRunUnsupportedWebhook(err.message);
    if (webhook) {
        const info = webhooks?.get(webhook);
        return {
            verdict: 'warn',
            severity: 'medium',
            message: `${what} could not be dry-run: webhook ${webhook}${info ? ` (${info.kind} ${info.configuration}, sideEffects: ${info.sideEffects ?? 'unset'})` : ''} declares side effects, so the apiserver refuses dry-runs it would call`,
            evidence: err.message,
            adjustment: `the phase applies it for real and only then hears from ${webhook}; ask the webhook's owner to declare sideEffects None or NoneOnDryRun (admissionregistration.k8s.io/v1 requires it)`,
            data: { webhook, sideEffects: info?.sideEffects }
        };
    }
    if (err.status >= 500 && !/webhook/.test(err.message))
        throw err;
    const { cause, adjustment } = classifyRejection(err.message, err.status);
    return {
        verdict: 'fail',
        severity: 'high',
        message: `${what} is rejected by ${cause}`,
        evidence: `HTTP ${err.status}${err.reason ? ` ${err.reason}` : ''}: ${err.message}`,
        adjustment,
        data: { status: err.status, reason: err.reason, cause }
    };
}
/** The `admission` kind: one server-side dry-run result per manifest object. */
const admissionCheck = {
    kind: admission_KIND,
    applies: ctx => ctx.manifests.length > 0,
    async run(ctx) {
        const objects = await (0,plan_objects/* loadPlanObjects */.OT)(ctx.loaded, ctx.settings.workspace);
        const creations = (0,plan_objects/* planCreations */.g3)(objects, ctx.manifests);
        const info = ctx.manifests.map(m => (0,manifest_info/* findResource */.MW)(ctx.surface, m.object.apiVersion, m.object.kind));
        // Which namespaces exist: one read each; a forbidden read counts as existing and the dry-run decides.
        const wanted = new Set();
        ctx.manifests.forEach((m, i) => {
            if (info[i]?.namespaced)
                wanted.add(m.object.metadata.namespace ?? ctx.namespace);
        });
        const exists = new Map();
        await mapBounded([...wanted], async (ns) => {
            try {
                exists.set(ns, (await ctx.cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: ns })) !== undefined);
            }
            catch (err) {
                if (!(err instanceof types/* KubeApiError */.W3 && err.status === 403))
                    throw err;
                exists.set(ns, true);
            }
        });
        let webhooks;
        const seen = new Set();
        return mapBounded(ctx.manifests, async (m, i) => {
            const r = info[i];
            const namespaced = r?.namespaced ?? true;
            const prepared = (0,labels/* withRunLabels */.vJ)((0,plan_manifests/* withNamespace */.iY)(m.object, ctx.namespace, r?.namespaced ?? false), {
                plan: ctx.loaded.plan.name,
                run: ctx.runId,
                role: 'phase',
                unit: (0,plan_objects/* phaseOf */.hU)(objects, m)?.name
            });
            let target = (0,manifest_info/* describeObject */.v8)(prepared);
            if (seen.has(target))
                target = `${target} (${m.file}:${m.line})`;
            seen.add(target);
            const location = (0,manifest_info/* manifestLocation */.zW)(m);
            const started = performance.now();
            const took = () => performance.now() - started;
            const dependency = dependencyOf(m, {
                served: r !== undefined,
                namespaced,
                namespace: ctx.namespace,
                namespaceExists: ns => exists.get(ns) ?? true,
                creations
            });
            if (dependency)
                return (0,checks_result/* checkResult */.iJ)(admission_KIND, target, {
                    verdict: 'skip',
                    severity: 'info',
                    message: `${(0,manifest_info/* describeManifest */.FK)(m)} not dry-run: ${dependency}`,
                    adjustment: dependency.startsWith('namespace')
                        ? undefined
                        : 'the phase gate dry-runs it right before applying',
                    location
                });
            if (!r)
                return (0,checks_result/* checkResult */.iJ)(admission_KIND, target, {
                    verdict: 'fail',
                    severity: 'high',
                    message: `${(0,manifest_info/* describeManifest */.FK)(m)} cannot be applied: ${m.object.apiVersion} ${m.object.kind} is not served here`,
                    adjustment: 'install the CRD (or move it into an earlier phase), or change the apiVersion to one this cluster serves (the divergence check names it)',
                    location,
                    durationMs: took()
                });
            try {
                await (0,apply/* applyOnceAccountExists */.j7)(ctx.cluster, prepared, { dryRun: true, signal: ctx.signal });
                return (0,checks_result/* checkResult */.iJ)(admission_KIND, target, {
                    verdict: 'pass',
                    message: `${(0,manifest_info/* describeManifest */.FK)(m)} is accepted by admission (server-side dry-run)`,
                    location,
                    durationMs: took()
                });
            }
            catch (err) {
                try {
                    const isWebhook = err instanceof types/* KubeApiError */.W3 && dryRunUnsupportedWebhook(err.message) !== undefined;
                    if (isWebhook)
                        webhooks ??= webhookIndex(ctx);
                    const fields = judgeRejection(err, (0,manifest_info/* describeManifest */.FK)(m), isWebhook ? await webhooks : undefined);
                    return (0,checks_result/* checkResult */.iJ)(admission_KIND, target, { ...fields, location, durationMs: took() });
                }
                catch (thrown) {
                    return { ...(0,checks_result/* errorResult */.WG)(admission_KIND, target, thrown, location), durationMs: Math.round(took()) };
                }
            }
        });
    }
};

;// CONCATENATED MODULE: ./src/checks/deprecations.ts
/**
 * Kubernetes API versions that were deprecated and removed, like Pluto's
 * and kubent's tables: removal releases from the Kubernetes Deprecated API
 * Migration Guide, deprecation releases from the release notes. A finding
 * compares them with the server's own version and what it serves.
 */
const ROWS = [
    // removed in 1.16
    ['extensions', 'v1beta1', ['Deployment', 'DaemonSet', 'ReplicaSet'], 9, 16, 'apps/v1'],
    ['apps', 'v1beta1', ['Deployment', 'StatefulSet', 'ReplicaSet'], 9, 16, 'apps/v1'],
    ['apps', 'v1beta2', ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'], 9, 16, 'apps/v1'],
    ['extensions', 'v1beta1', ['NetworkPolicy'], 9, 16, 'networking.k8s.io/v1'],
    [
        'extensions',
        'v1beta1',
        ['PodSecurityPolicy'],
        10,
        16,
        'policy/v1beta1 (itself removed in 1.25: use Pod Security admission)'
    ],
    // removed in 1.22
    ['extensions', 'v1beta1', ['Ingress'], 14, 22, 'networking.k8s.io/v1'],
    ['networking.k8s.io', 'v1beta1', ['Ingress', 'IngressClass'], 19, 22, 'networking.k8s.io/v1'],
    [
        'rbac.authorization.k8s.io',
        'v1beta1',
        ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
        17,
        22,
        'rbac.authorization.k8s.io/v1'
    ],
    [
        'admissionregistration.k8s.io',
        'v1beta1',
        ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
        16,
        22,
        'admissionregistration.k8s.io/v1'
    ],
    [
        'apiextensions.k8s.io',
        'v1beta1',
        ['CustomResourceDefinition'],
        16,
        22,
        'apiextensions.k8s.io/v1'
    ],
    ['apiregistration.k8s.io', 'v1beta1', ['APIService'], 19, 22, 'apiregistration.k8s.io/v1'],
    ['authentication.k8s.io', 'v1beta1', ['TokenReview'], 19, 22, 'authentication.k8s.io/v1'],
    [
        'authorization.k8s.io',
        'v1beta1',
        [
            'LocalSubjectAccessReview',
            'SelfSubjectAccessReview',
            'SubjectAccessReview',
            'SelfSubjectRulesReview'
        ],
        19,
        22,
        'authorization.k8s.io/v1'
    ],
    [
        'certificates.k8s.io',
        'v1beta1',
        ['CertificateSigningRequest'],
        19,
        22,
        'certificates.k8s.io/v1'
    ],
    ['coordination.k8s.io', 'v1beta1', ['Lease'], 19, 22, 'coordination.k8s.io/v1'],
    ['scheduling.k8s.io', 'v1beta1', ['PriorityClass'], 14, 22, 'scheduling.k8s.io/v1'],
    [
        'storage.k8s.io',
        'v1beta1',
        ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
        19,
        22,
        'storage.k8s.io/v1'
    ],
    // removed in 1.25
    ['batch', 'v1beta1', ['CronJob'], 21, 25, 'batch/v1'],
    ['discovery.k8s.io', 'v1beta1', ['EndpointSlice'], 21, 25, 'discovery.k8s.io/v1'],
    ['events.k8s.io', 'v1beta1', ['Event'], 19, 25, 'events.k8s.io/v1'],
    ['autoscaling', 'v2beta1', ['HorizontalPodAutoscaler'], 22, 25, 'autoscaling/v2'],
    ['policy', 'v1beta1', ['PodDisruptionBudget'], 21, 25, 'policy/v1'],
    [
        'policy',
        'v1beta1',
        ['PodSecurityPolicy'],
        21,
        25,
        'nothing: use Pod Security admission (namespace labels) or a policy webhook'
    ],
    ['node.k8s.io', 'v1beta1', ['RuntimeClass'], 20, 25, 'node.k8s.io/v1'],
    // removed in 1.26
    ['autoscaling', 'v2beta2', ['HorizontalPodAutoscaler'], 23, 26, 'autoscaling/v2'],
    [
        'flowcontrol.apiserver.k8s.io',
        'v1beta1',
        ['FlowSchema', 'PriorityLevelConfiguration'],
        23,
        26,
        'flowcontrol.apiserver.k8s.io/v1'
    ],
    // removed in 1.27
    ['storage.k8s.io', 'v1beta1', ['CSIStorageCapacity'], 24, 27, 'storage.k8s.io/v1'],
    // removed in 1.29
    [
        'flowcontrol.apiserver.k8s.io',
        'v1beta2',
        ['FlowSchema', 'PriorityLevelConfiguration'],
        26,
        29,
        'flowcontrol.apiserver.k8s.io/v1'
    ],
    // removed in 1.32
    [
        'flowcontrol.apiserver.k8s.io',
        'v1beta3',
        ['FlowSchema', 'PriorityLevelConfiguration'],
        29,
        32,
        'flowcontrol.apiserver.k8s.io/v1'
    ],
    // Dynamic Resource Allocation: alphas replaced release by release, betas deprecated when v1 went GA (1.34)
    [
        'resource.k8s.io',
        'v1alpha1',
        ['ResourceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'PodScheduling'],
        26,
        27,
        'resource.k8s.io/v1'
    ],
    [
        'resource.k8s.io',
        'v1alpha2',
        [
            'ResourceClass',
            'ResourceClaim',
            'ResourceClaimTemplate',
            'PodSchedulingContext',
            'ResourceSlice',
            'ResourceClaimParameters',
            'ResourceClassParameters'
        ],
        27,
        31,
        'resource.k8s.io/v1'
    ],
    [
        'resource.k8s.io',
        'v1alpha3',
        ['PodSchedulingContext'],
        31,
        32,
        'nothing: classic DRA was removed; use structured parameters (resource.k8s.io/v1)'
    ],
    [
        'resource.k8s.io',
        'v1alpha3',
        ['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'],
        32,
        33,
        'resource.k8s.io/v1'
    ],
    [
        'resource.k8s.io',
        'v1beta1',
        ['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'],
        34,
        undefined,
        'resource.k8s.io/v1'
    ],
    [
        'resource.k8s.io',
        'v1beta2',
        ['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'],
        34,
        undefined,
        'resource.k8s.io/v1'
    ]
];
/** The table, one entry per group/version/kind. */
const DEPRECATIONS = ROWS.flatMap(([group, version, kinds, deprecatedIn, removedIn, replacement]) => kinds.map(kind => {
    const d = { group, version, kind, deprecatedIn, replacement };
    if (removedIn !== undefined)
        d.removedIn = removedIn;
    if (/alpha/.test(version))
        d.alpha = true;
    return d;
}));
/** The table's entry for a group/version/kind, if it is deprecated. */
function findDeprecation(group, version, kind) {
    return DEPRECATIONS.find(d => d.group === group && d.version === version && d.kind === kind);
}
/** Whether the API is removed, deprecated or still current on a server `1.<minor>`. */
function deprecationStatus(d, minor) {
    if (d.removedIn !== undefined && minor >= d.removedIn)
        return 'removed';
    if (minor >= d.deprecatedIn)
        return 'deprecated';
    return 'current';
}

;// CONCATENATED MODULE: ./src/checks/pod-security.ts
/**
 * The Pod Security Standards (baseline and restricted, latest version) as
 * Pod Security admission evaluates them, over a pod spec from a manifest,
 * with the field path of every violation so findings point at the line to
 * change. Checks and allowed values follow k8s.io/pod-security-admission's
 * policy package.
 */


/** True for the three level names; anything else is not a level. */
function isLevel(v) {
    return v === 'privileged' || v === 'baseline' || v === 'restricted';
}
const BASELINE_CAPABILITIES = new Set([
    'AUDIT_WRITE',
    'CHOWN',
    'DAC_OVERRIDE',
    'FOWNER',
    'FSETID',
    'KILL',
    'MKNOD',
    'NET_BIND_SERVICE',
    'SETFCAP',
    'SETGID',
    'SETPCAP',
    'SETUID',
    'SYS_CHROOT'
]);
const SAFE_SYSCTLS = new Set([
    'kernel.shm_rmid_forced',
    'net.ipv4.ip_local_port_range',
    'net.ipv4.ip_unprivileged_port_start',
    'net.ipv4.tcp_syncookies',
    'net.ipv4.ping_group_range',
    'net.ipv4.ip_local_reserved_ports',
    'net.ipv4.tcp_keepalive_time',
    'net.ipv4.tcp_fin_timeout',
    'net.ipv4.tcp_keepalive_intvl',
    'net.ipv4.tcp_keepalive_probes',
    'net.ipv4.tcp_rmem',
    'net.ipv4.tcp_wmem'
]);
const SELINUX_TYPES = new Set([
    '',
    'container_t',
    'container_init_t',
    'container_kvm_t',
    'container_engine_t'
]);
const RESTRICTED_VOLUMES = new Set([
    'configMap',
    'csi',
    'downwardAPI',
    'emptyDir',
    'ephemeral',
    'persistentVolumeClaim',
    'projected',
    'secret',
    'image'
]);
const OVERRIDDEN_AT_RESTRICTED = new Set(['hostPath', 'capabilities', 'seccomp']);
/** What to change for each check, for the adjustment of a finding. */
const POD_SECURITY_FIXES = {
    hostProcess: 'drop windowsOptions.hostProcess',
    hostNamespaces: 'remove hostNetwork, hostPID and hostIPC (or set them false)',
    privileged: 'remove securityContext.privileged (or set it false)',
    capabilities: 'add no capabilities beyond the baseline list',
    hostPath: 'use a PersistentVolumeClaim, emptyDir or ConfigMap instead of the hostPath volume',
    hostPorts: 'remove hostPort and reach the pod through a Service',
    appArmor: 'use the RuntimeDefault or a Localhost AppArmor profile',
    seLinux: 'drop seLinuxOptions.user/role and use a container_t type',
    procMount: 'remove procMount (or set it Default)',
    seccomp: 'set securityContext.seccompProfile.type: RuntimeDefault on the pod',
    sysctls: 'remove the unsafe sysctls',
    volumeTypes: 'use only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes',
    allowPrivilegeEscalation: 'set securityContext.allowPrivilegeEscalation: false on every container',
    runAsNonRoot: 'set securityContext.runAsNonRoot: true on the pod (and an image user other than root)',
    runAsUser: 'do not run as UID 0: set runAsUser to a non-zero UID or leave it to the image',
    capabilitiesRestricted: 'set securityContext.capabilities.drop: [ALL] on every container (add only NET_BIND_SERVICE)'
};
function ctxOf(v) {
    return (0,manifest_info/* isRecord */.u4)(v) ? v : {};
}
/** The violations of `level` in a pod template (an empty list for `privileged`). */
function checkPodSecurity(t, level) {
    if (level === 'privileged')
        return [];
    const out = [];
    const spec = t.spec;
    const psc = ctxOf(spec.securityContext);
    const pscPath = `${t.path}.securityContext`;
    const containers = (0,pod_templates/* containersOf */.Mz)(t);
    const v = (check, lvl, path, detail) => {
        out.push({ check, level: lvl, path, detail });
    };
    const named = (c) => `${c.list === 'containers' ? 'container' : c.list === 'initContainers' ? 'init container' : 'ephemeral container'} "${c.name}"`;
    // ---- baseline
    if (ctxOf(psc.windowsOptions).hostProcess === true)
        v('hostProcess', 'baseline', `${pscPath}.windowsOptions.hostProcess`, 'pod must not set hostProcess=true');
    for (const ns of ['hostNetwork', 'hostPID', 'hostIPC'])
        if (spec[ns] === true)
            v('hostNamespaces', 'baseline', `${t.path}.${ns}`, `${ns}=true`);
    (0,manifest_info/* records */.V0)(spec.volumes).forEach((vol, i) => {
        if (vol.hostPath !== undefined)
            v('hostPath', 'baseline', `${t.path}.volumes[${i}].hostPath`, `hostPath volume "${(0,manifest_info/* str */.gx)(vol.name) ?? i}"`);
    });
    const sysctls = (0,manifest_info/* records */.V0)(psc.sysctls);
    sysctls.forEach((s, i) => {
        const name = (0,manifest_info/* str */.gx)(s.name) ?? '';
        if (!SAFE_SYSCTLS.has(name))
            v('sysctls', 'baseline', `${pscPath}.sysctls[${i}]`, `forbidden sysctl ${name}`);
    });
    const podSeLinux = ctxOf(psc.seLinuxOptions);
    checkSeLinux(podSeLinux, pscPath, 'pod', v);
    const podSeccomp = (0,manifest_info/* str */.gx)(ctxOf(psc.seccompProfile).type);
    if (podSeccomp === 'Unconfined')
        v('seccomp', 'baseline', `${pscPath}.seccompProfile.type`, 'pod must not set seccompProfile.type=Unconfined');
    const podAppArmor = (0,manifest_info/* str */.gx)(ctxOf(psc.appArmorProfile).type);
    if (podAppArmor === 'Unconfined')
        v('appArmor', 'baseline', `${pscPath}.appArmorProfile.type`, 'pod must not set appArmorProfile.type=Unconfined');
    for (const [k, val] of Object.entries(t.metadata.annotations))
        if (k.startsWith('container.apparmor.security.beta.kubernetes.io/') &&
            !(val === 'runtime/default' || val.startsWith('localhost/')))
            v('appArmor', 'baseline', `metadata.annotations["${k}"]`, `forbidden AppArmor profile ${val}`);
    for (const c of containers) {
        const sc = ctxOf(c.container.securityContext);
        const scPath = `${c.path}.securityContext`;
        if (ctxOf(sc.windowsOptions).hostProcess === true)
            v('hostProcess', 'baseline', `${scPath}.windowsOptions.hostProcess`, `${named(c)} must not set hostProcess=true`);
        if (sc.privileged === true)
            v('privileged', 'baseline', `${scPath}.privileged`, `${named(c)} must not set securityContext.privileged=true`);
        const caps = ctxOf(sc.capabilities);
        const added = (Array.isArray(caps.add) ? caps.add : []).filter((x) => typeof x === 'string');
        const extra = added.filter(cap => !BASELINE_CAPABILITIES.has(cap));
        if (extra.length)
            v('capabilities', 'baseline', `${scPath}.capabilities.add`, `${named(c)} must not add ${extra.join(', ')}`);
        (0,manifest_info/* records */.V0)(c.container.ports).forEach((p, i) => {
            if (typeof p.hostPort === 'number' && p.hostPort !== 0)
                v('hostPorts', 'baseline', `${c.path}.ports[${i}].hostPort`, `${named(c)} uses hostPort ${p.hostPort}`);
        });
        checkSeLinux(ctxOf(sc.seLinuxOptions), scPath, named(c), v);
        if (sc.procMount !== undefined && sc.procMount !== 'Default')
            v('procMount', 'baseline', `${scPath}.procMount`, `${named(c)} must not set procMount=${String(sc.procMount)}`);
        if ((0,manifest_info/* str */.gx)(ctxOf(sc.seccompProfile).type) === 'Unconfined')
            v('seccomp', 'baseline', `${scPath}.seccompProfile.type`, `${named(c)} must not set seccompProfile.type=Unconfined`);
        if ((0,manifest_info/* str */.gx)(ctxOf(sc.appArmorProfile).type) === 'Unconfined')
            v('appArmor', 'baseline', `${scPath}.appArmorProfile.type`, `${named(c)} must not set appArmorProfile.type=Unconfined`);
    }
    if (level === 'baseline')
        return out;
    // ---- restricted
    // Like PSA's policy, restricted checks replace the baseline ones they tighten
    // (restrictedVolumes overrides hostPathVolumes, capabilities_restricted and
    // seccompProfile_restricted override their baseline versions), so each
    // problem is reported once.
    for (let i = out.length - 1; i >= 0; i--)
        if (OVERRIDDEN_AT_RESTRICTED.has(out[i].check))
            out.splice(i, 1);
    (0,manifest_info/* records */.V0)(spec.volumes).forEach((vol, i) => {
        const type = Object.keys(vol).find(k => k !== 'name');
        if (type && type !== 'hostPath' && !RESTRICTED_VOLUMES.has(type))
            v('volumeTypes', 'restricted', `${t.path}.volumes[${i}].${type}`, `volume "${(0,manifest_info/* str */.gx)(vol.name) ?? i}" uses forbidden type ${type}`);
        if (type === 'hostPath')
            v('volumeTypes', 'restricted', `${t.path}.volumes[${i}].hostPath`, `volume "${(0,manifest_info/* str */.gx)(vol.name) ?? i}" uses forbidden type hostPath`);
    });
    // Windows pods are exempt from the Linux-only restricted checks.
    const windows = (0,manifest_info/* str */.gx)(ctxOf(spec.os).name) === 'windows';
    const podNonRoot = psc.runAsNonRoot;
    if (psc.runAsUser === 0)
        v('runAsUser', 'restricted', `${pscPath}.runAsUser`, 'pod must not set runAsUser=0');
    const unsetNonRoot = [];
    const unsetSeccomp = [];
    for (const c of containers) {
        const sc = ctxOf(c.container.securityContext);
        const scPath = `${c.path}.securityContext`;
        if (!windows && sc.allowPrivilegeEscalation !== false)
            v('allowPrivilegeEscalation', 'restricted', `${scPath}.allowPrivilegeEscalation`, `${named(c)} must set securityContext.allowPrivilegeEscalation=false`);
        if (sc.runAsNonRoot === false)
            v('runAsNonRoot', 'restricted', `${scPath}.runAsNonRoot`, `${named(c)} must not set runAsNonRoot=false`);
        else if (sc.runAsNonRoot !== true && podNonRoot !== true)
            unsetNonRoot.push(named(c));
        if (sc.runAsUser === 0)
            v('runAsUser', 'restricted', `${scPath}.runAsUser`, `${named(c)} must not set runAsUser=0`);
        const seccomp = (0,manifest_info/* str */.gx)(ctxOf(sc.seccompProfile).type);
        if (!windows && seccomp === undefined && podSeccomp === undefined)
            unsetSeccomp.push(named(c));
        else if (!windows &&
            seccomp !== undefined &&
            seccomp !== 'RuntimeDefault' &&
            seccomp !== 'Localhost')
            v('seccomp', 'restricted', `${scPath}.seccompProfile.type`, `${named(c)} must set seccompProfile.type to RuntimeDefault or Localhost`);
        if (!windows) {
            const caps = ctxOf(sc.capabilities);
            const drop = (Array.isArray(caps.drop) ? caps.drop : []).filter((x) => typeof x === 'string');
            if (!drop.includes('ALL'))
                v('capabilitiesRestricted', 'restricted', `${scPath}.capabilities.drop`, `${named(c)} must set securityContext.capabilities.drop=["ALL"]`);
            const added = (Array.isArray(caps.add) ? caps.add : []).filter((x) => typeof x === 'string');
            const extra = added.filter(cap => cap !== 'NET_BIND_SERVICE');
            if (extra.length)
                v('capabilitiesRestricted', 'restricted', `${scPath}.capabilities.add`, `${named(c)} must not add ${extra.join(', ')} (only NET_BIND_SERVICE)`);
        }
    }
    if (podNonRoot === false)
        v('runAsNonRoot', 'restricted', `${pscPath}.runAsNonRoot`, 'pod must not set runAsNonRoot=false');
    else if (unsetNonRoot.length)
        v('runAsNonRoot', 'restricted', `${pscPath}.runAsNonRoot`, `pod or ${unsetNonRoot.join(', ')} must set securityContext.runAsNonRoot=true`);
    if (!windows &&
        podSeccomp !== undefined &&
        podSeccomp !== 'RuntimeDefault' &&
        podSeccomp !== 'Localhost')
        v('seccomp', 'restricted', `${pscPath}.seccompProfile.type`, 'pod must set seccompProfile.type to RuntimeDefault or Localhost');
    if (unsetSeccomp.length)
        v('seccomp', 'restricted', `${pscPath}.seccompProfile.type`, `pod or ${unsetSeccomp.join(', ')} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`);
    return out;
}
function checkSeLinux(opts, path, who, v) {
    const type = (0,manifest_info/* str */.gx)(opts.type);
    if (type !== undefined && !SELINUX_TYPES.has(type))
        v('seLinux', 'baseline', `${path}.seLinuxOptions.type`, `${who} must not set seLinuxOptions.type=${type}`);
    if (opts.user !== undefined)
        v('seLinux', 'baseline', `${path}.seLinuxOptions.user`, `${who} must not set seLinuxOptions.user`);
    if (opts.role !== undefined)
        v('seLinux', 'baseline', `${path}.seLinuxOptions.role`, `${who} must not set seLinuxOptions.role`);
}

;// CONCATENATED MODULE: ./src/checks/divergence.ts
/**
 * Divergence: where the manifests assume what this cluster will not do.
 * (a) apiVersions not served, deprecated or removed in this server's version
 * (only the manifests' own apiVersions: never last-applied-configuration or
 * managedFields); (b) the namespace's Pod Security levels against every pod
 * spec; (c) OpenShift's SCC and UID-range rules; (d) LoadBalancer Services
 * on a cluster that has never handed out a load balancer address; (e) images
 * from registries outside `registries.allow`. Findings name file:line and
 * the object.
 */











const divergence_KIND = 'divergence';
// ------------------------------------------------------------ (a) API versions
/** Judges one apiVersion/kind the manifests use against the table, discovery and the server's version. */
function judgeApiVersion(apiVersion, kind, opts) {
    const { group, version } = (0,types/* splitApiVersion */.Np)(apiVersion);
    const served = (0,manifest_info/* findResource */.MW)(opts.surface, apiVersion, kind) !== undefined;
    const d = findDeprecation(group, version, kind);
    const server = `this cluster runs ${opts.gitVersion}`;
    if (d) {
        const status = deprecationStatus(d, opts.minor);
        const when = `deprecated in 1.${d.deprecatedIn}${d.removedIn !== undefined ? `, removed in 1.${d.removedIn}` : ''}`;
        const data = {
            deprecatedIn: `1.${d.deprecatedIn}`,
            removedIn: d.removedIn !== undefined ? `1.${d.removedIn}` : undefined,
            replacement: d.replacement,
            served
        };
        if (!served)
            return {
                verdict: 'fail',
                severity: 'high',
                message: `${apiVersion} ${kind} is not served: ${status === 'removed' ? `removed in 1.${d.removedIn}` : d.alpha ? 'an alpha API, off by default' : 'this cluster does not serve it'} (${when}; ${server})`,
                adjustment: `use ${d.replacement}${d.replacement.includes('/') ? ` ${kind}` : ''}`,
                data
            };
        if (status === 'removed' || status === 'deprecated')
            return {
                verdict: 'warn',
                severity: status === 'removed' ? 'high' : 'medium',
                message: `${apiVersion} ${kind} is ${when}; ${server}, which still serves it${d.removedIn !== undefined ? `: an upgrade to 1.${d.removedIn} breaks this manifest` : ''}`,
                adjustment: `move to ${d.replacement}${d.replacement.includes('/') ? ` ${kind}` : ''} now`,
                data
            };
        return {
            verdict: 'pass',
            message: `${apiVersion} ${kind} is served (to be deprecated in 1.${d.deprecatedIn}; ${server})`,
            data
        };
    }
    if (served)
        return { verdict: 'pass', message: `${apiVersion} ${kind} is served` };
    if (opts.plannedCrd)
        return {
            verdict: 'pass',
            message: `${apiVersion} ${kind} is not served yet; the plan installs its CustomResourceDefinition first`
        };
    const j = judgeApi(`${apiVersion}/${kind}`, opts.surface);
    return { ...j, verdict: 'fail', severity: 'high' };
}
/** The levels a namespace's labels set; unknown values are ignored (the apiserver rejects them anyway). */
function podSecurityLabels(labels) {
    const out = {};
    for (const mode of ['enforce', 'warn', 'audit']) {
        const v = labels[`pod-security.kubernetes.io/${mode}`];
        if (isLevel(v))
            out[mode] = v;
    }
    return out;
}
const MODE_RANK = { enforce: 3, warn: 2, audit: 1 };
/** Judges one workload's pod spec against the namespace's levels: enforce fails, warn and audit warn. */
function judgePodSecurity(m, t, ns, levels) {
    const found = new Map();
    for (const mode of ['enforce', 'warn', 'audit']) {
        const level = levels[mode];
        if (!level)
            continue;
        for (const v of checkPodSecurity(t, level)) {
            const key = `${v.check}|${v.path}`;
            const have = found.get(key);
            if (!have || MODE_RANK[mode] > MODE_RANK[have.mode])
                found.set(key, { v, mode, level });
        }
    }
    if (found.size === 0)
        return undefined;
    const list = [...found.values()];
    const enforced = list.filter(f => f.mode === 'enforce');
    const top = enforced.length ? 'enforce' : list.some(f => f.mode === 'warn') ? 'warn' : 'audit';
    const level = list.find(f => f.mode === top)?.level;
    const isPod = m.object.kind === 'Pod';
    const verdict = top === 'enforce' ? 'fail' : 'warn';
    const severity = top === 'enforce' ? 'high' : top === 'warn' ? 'medium' : 'low';
    const consequence = top === 'enforce'
        ? isPod
            ? 'the API server will reject it'
            : `the ${m.object.kind} is admitted with a warning, but its pods will be rejected and it never becomes ready`
        : top === 'warn'
            ? 'the apply will print Pod Security warnings'
            : 'the audit log will record violations';
    const fixes = [...new Set(list.map(f => POD_SECURITY_FIXES[f.v.check]).filter(Boolean))];
    return {
        verdict,
        severity,
        message: `${(0,manifest_info/* describeManifest */.FK)(m)} violates Pod Security "${level}" (${top} in namespace ${ns}): ${consequence}`,
        evidence: list
            .sort((a, b) => MODE_RANK[b.mode] - MODE_RANK[a.mode])
            .map(f => `[${f.mode} ${f.level}] ${f.v.check}: ${f.v.path}: ${f.v.detail}`)
            .join('\n'),
        adjustment: fixes.join('; '),
        data: {
            namespace: ns,
            mode: top,
            level,
            violations: list.map(f => ({ check: f.v.check, path: f.v.path, mode: f.mode }))
        }
    };
}
// ------------------------------------------------------------ (c) OpenShift
/** True when the plan targets OpenShift or the cluster serves OpenShift's own API groups. */
function isOpenShift(ctx) {
    return (ctx.loaded.plan.target.platform === 'openshift' ||
        ['config.openshift.io', 'security.openshift.io'].some(g => ctx.surface.groups.has(g)));
}
/** `1000680000/10000` (or `1000680000-1000689999`) as the first and last id of the range. */
function parseIdRange(text) {
    if (!text)
        return undefined;
    const first = text.split(',')[0].trim();
    let m = /^(\d+)\/(\d+)$/.exec(first);
    if (m)
        return { first: Number(m[1]), last: Number(m[1]) + Number(m[2]) - 1 };
    m = /^(\d+)-(\d+)$/.exec(first);
    if (m)
        return { first: Number(m[1]), last: Number(m[2]) };
    return undefined;
}
/**
 * The span OpenShift hands namespace UID and group blocks out of (its default `--uid-range`,
 * 1000000000-1999999999 in blocks of 10000). A namespace without its annotation yet (one the
 * plan creates, or one seconds old) gets a block from here, so an id outside it is outside
 * whatever block the namespace will get.
 */
const OPENSHIFT_ID_SPAN = { first: 1_000_000_000, last: 1_999_999_999 };
/** What restricted-v2 (OpenShift's default SCC) refuses in a pod spec, each with the SCC that would allow it. */
function openShiftFindings(t, annotations) {
    const out = [];
    const spec = t.spec;
    const psc = (0,manifest_info/* isRecord */.u4)(spec.securityContext) ? spec.securityContext : {};
    const range = (key) => {
        const r = parseIdRange(annotations[key]);
        return r
            ? { ...r, what: `the namespace's range ${r.first}-${r.last} (${key})` }
            : {
                ...OPENSHIFT_ID_SPAN,
                what: `the span OpenShift allocates namespace ranges from (${OPENSHIFT_ID_SPAN.first}-${OPENSHIFT_ID_SPAN.last}; the namespace has no ${key} annotation yet)`
            };
    };
    const uid = range('openshift.io/sa.scc.uid-range');
    const groups = range('openshift.io/sa.scc.supplemental-groups');
    const outside = (n, r) => n < r.first || n > r.last;
    const uidCheck = (v, path, who) => {
        if (typeof v !== 'number')
            return;
        if (v === 0)
            out.push({ path, problem: `${who} runs as UID 0 (root)`, scc: 'anyuid' });
        else if (outside(v, uid))
            out.push({
                path,
                problem: `${who} runs as UID ${v}, outside ${uid.what}`,
                scc: 'nonroot-v2 (or anyuid)'
            });
    };
    uidCheck(psc.runAsUser, `${t.path}.securityContext.runAsUser`, 'the pod');
    if (typeof psc.fsGroup === 'number' && outside(psc.fsGroup, groups))
        out.push({
            path: `${t.path}.securityContext.fsGroup`,
            problem: `fsGroup ${psc.fsGroup} is outside ${groups.what}`,
            scc: 'nonroot-v2 (or anyuid)'
        });
    for (const ns of ['hostNetwork', 'hostPID', 'hostIPC'])
        if (spec[ns] === true)
            out.push({
                path: `${t.path}.${ns}`,
                problem: `${ns}: true`,
                scc: ns === 'hostNetwork' ? 'hostnetwork-v2' : 'privileged'
            });
    (0,manifest_info/* records */.V0)(spec.volumes).forEach((v, i) => {
        if (v.hostPath !== undefined)
            out.push({
                path: `${t.path}.volumes[${i}].hostPath`,
                problem: `hostPath volume ${(0,manifest_info/* str */.gx)(v.name) ?? i}`,
                scc: 'hostmount-anyuid'
            });
    });
    for (const c of (0,pod_templates/* containersOf */.Mz)(t)) {
        const sc = (0,manifest_info/* isRecord */.u4)(c.container.securityContext) ? c.container.securityContext : {};
        const who = `container ${c.name}`;
        if (sc.privileged === true)
            out.push({
                path: `${c.path}.securityContext.privileged`,
                problem: `${who} is privileged`,
                scc: 'privileged'
            });
        if (sc.allowPrivilegeEscalation === true)
            out.push({
                path: `${c.path}.securityContext.allowPrivilegeEscalation`,
                problem: `${who} allows privilege escalation`,
                scc: 'privileged'
            });
        uidCheck(sc.runAsUser, `${c.path}.securityContext.runAsUser`, who);
        const caps = (0,manifest_info/* isRecord */.u4)(sc.capabilities) ? sc.capabilities : {};
        const added = (Array.isArray(caps.add) ? caps.add : []).filter((x) => typeof x === 'string' && x !== 'NET_BIND_SERVICE');
        if (added.length)
            out.push({
                path: `${c.path}.securityContext.capabilities.add`,
                problem: `${who} adds ${added.join(', ')}`,
                scc: 'privileged (or a custom SCC allowing them)'
            });
        (0,manifest_info/* records */.V0)(c.container.ports).forEach((p, i) => {
            if (typeof p.hostPort === 'number' && p.hostPort !== 0)
                out.push({
                    path: `${c.path}.ports[${i}].hostPort`,
                    problem: `${who} uses hostPort ${p.hostPort}`,
                    scc: 'hostnetwork-v2'
                });
        });
    }
    return out;
}
// ------------------------------------------------------------ (d) LoadBalancer
// Controllers that hand out LoadBalancer addresses without a cloud provider, by the API groups they serve.
const LB_CONTROLLER_GROUPS = {
    'metallb.io': 'MetalLB',
    'cilium.io': 'Cilium LB IPAM',
    'kube-vip.io': 'kube-vip',
    'openelb.kubesphere.io': 'OpenELB',
    'purelb.io': 'PureLB',
    'elbv2.k8s.aws': 'AWS Load Balancer Controller',
    'loadbalancer.openstack.org': 'OpenStack cloud provider'
};
/** Whether anything hands out LoadBalancer addresses: a Service that got one, a known controller, a cloud provider on the nodes. */
async function judgeLoadBalancer(ctx) {
    const notes = [];
    const controller = Object.entries(LB_CONTROLLER_GROUPS).find(([g]) => ctx.surface.groups.has(g));
    if (controller)
        return {
            available: true,
            how: `${controller[1]} is installed (API group ${controller[0]} is served)`
        };
    let services;
    try {
        services = (await ctx.cluster.list('v1', 'Service')).items;
    }
    catch (err) {
        if (!(err instanceof types/* KubeApiError */.W3 && err.status === 403))
            throw err;
        notes.push('Services in all namespaces cannot be listed (forbidden); looked in the target namespace');
        services = (await ctx.cluster
            .list('v1', 'Service', { namespace: ctx.namespace })
            .catch(() => ({ items: [] }))).items;
    }
    const lbs = services.filter(s => (0,manifest_info/* isRecord */.u4)(s.spec) && s.spec.type === 'LoadBalancer');
    const served = lbs.find(s => {
        const st = (0,manifest_info/* isRecord */.u4)(s.status) && (0,manifest_info/* isRecord */.u4)(s.status.loadBalancer) ? s.status.loadBalancer : {};
        return (0,manifest_info/* records */.V0)(st.ingress).length > 0;
    });
    if (served) {
        const st = (0,manifest_info/* isRecord */.u4)(served.status) && (0,manifest_info/* isRecord */.u4)(served.status.loadBalancer)
            ? served.status.loadBalancer
            : {};
        const ing = (0,manifest_info/* records */.V0)(st.ingress)[0] ?? {};
        return {
            available: true,
            how: `Service ${served.metadata.namespace}/${served.metadata.name} got a load balancer address (${(0,manifest_info/* str */.gx)(ing.ip) ?? (0,manifest_info/* str */.gx)(ing.hostname) ?? '?'})`
        };
    }
    let provider;
    try {
        const nodes = (await ctx.cluster.list('v1', 'Node', { limit: 5 })).items;
        provider = nodes
            .map(n => ((0,manifest_info/* isRecord */.u4)(n.spec) ? (0,manifest_info/* str */.gx)(n.spec.providerID) : undefined))
            .find(p => p &&
            /^(aws|gce|azure|openstack|vsphere|digitalocean|linode|hcloud|oci|ibm|alicloud|exoscale|scaleway|vultr|upcloud|civo|equinixmetal):\/\//.test(p));
    }
    catch (err) {
        if (!(err instanceof types/* KubeApiError */.W3 && err.status === 403))
            throw err;
        notes.push('nodes cannot be listed (forbidden)');
    }
    if (provider)
        return {
            available: true,
            how: `the nodes run on a cloud provider (providerID ${provider.split('://')[0]}://…), whose controller provisions load balancers`
        };
    const how = [
        `no Service of type LoadBalancer has an address (${lbs.length} LoadBalancer Service${lbs.length === 1 ? '' : 's'} of ${services.length} seen)`,
        `no known load-balancer controller (${[...new Set(Object.values(LB_CONTROLLER_GROUPS))].join(', ')}) serves its API`,
        'no node has a cloud providerID',
        ...notes
    ].join('; ');
    return { available: notes.length ? undefined : false, how };
}
// ------------------------------------------------------------ the check
async function namespaceObject(ctx, ns, creations) {
    try {
        const live = await ctx.cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: ns });
        // A namespace the plan creates will carry the plan's labels.
        return live ?? creations.namespaces.get(ns)?.object;
    }
    catch (err) {
        if (err instanceof types/* KubeApiError */.W3 && err.status === 403)
            return creations.namespaces.get(ns)?.object ?? 'forbidden';
        throw err;
    }
}
/** The `divergence` kind: one result per apiVersion, per workload finding, per LoadBalancer Service and for registries. */
const divergenceCheck = {
    kind: divergence_KIND,
    applies: ctx => ctx.manifests.length > 0,
    run: ctx => (0,checks_result/* timed */.ay)(divergence_KIND, divergence_KIND, () => checkDivergence(ctx))
};
async function checkDivergence(ctx) {
    const objects = await (0,plan_objects/* loadPlanObjects */.OT)(ctx.loaded, ctx.settings.workspace);
    const creations = (0,plan_objects/* planCreations */.g3)(objects, ctx.manifests);
    const results = [];
    const version = await ctx.cluster.version();
    // (a) one result per apiVersion/kind, naming every manifest that uses it.
    const byApi = new Map();
    for (const m of ctx.manifests) {
        const key = `${m.object.apiVersion}|${m.object.kind}`;
        byApi.set(key, [...(byApi.get(key) ?? []), m]);
    }
    for (const [key, list] of byApi) {
        const [apiVersion, kind] = key.split('|');
        const { group } = (0,types/* splitApiVersion */.Np)(apiVersion);
        const f = judgeApiVersion(apiVersion, kind, {
            surface: ctx.surface,
            minor: version.minor,
            gitVersion: version.gitVersion,
            plannedCrd: creations.crds.has(`${group}/${kind}`)
        });
        const users = list.map(m => `${m.file}:${m.line} ${(0,manifest_info/* describeObject */.v8)(m.object)}`);
        results.push((0,checks_result/* checkResult */.iJ)(divergence_KIND, `apiVersion ${apiVersion} ${kind}`, {
            ...f,
            message: f.verdict === 'pass'
                ? `${f.message} (${list.length} manifest${list.length === 1 ? '' : 's'})`
                : f.message,
            evidence: [f.evidence, f.verdict === 'pass' ? undefined : `used by ${users.join(', ')}`]
                .filter(Boolean)
                .join('\n') || undefined,
            location: (0,manifest_info/* manifestLocation */.zW)(list[0])
        }));
    }
    // (b) and (c): every workload's pod spec against its namespace.
    const workloads = ctx.manifests
        .map(m => ({ m, t: (0,pod_templates/* podTemplateOf */.D0)(m.object) }))
        .filter((w) => w.t !== undefined);
    const namespaces = [
        ...new Set(workloads.map(w => w.m.object.metadata.namespace ?? ctx.namespace))
    ];
    const nsObjects = new Map();
    await mapBounded(namespaces, async (ns) => void nsObjects.set(ns, await namespaceObject(ctx, ns, creations)));
    const openshift = isOpenShift(ctx);
    const clean = new Map();
    for (const { m, t } of workloads) {
        const ns = m.object.metadata.namespace ?? ctx.namespace;
        const nsObj = nsObjects.get(ns);
        if (nsObj === 'forbidden' || nsObj === undefined)
            continue;
        const levels = podSecurityLabels(nsObj.metadata.labels ?? {});
        const f = judgePodSecurity(m, t, ns, levels);
        if (f)
            results.push((0,checks_result/* checkResult */.iJ)(divergence_KIND, `pod-security ${(0,manifest_info/* describeObject */.v8)({ ...m.object, metadata: { ...m.object.metadata, namespace: ns } })}`, {
                ...f,
                location: (0,manifest_info/* manifestLocation */.zW)(m, f.data?.violations ? f.data.violations[0].path : undefined)
            }));
        else
            clean.set(ns, (clean.get(ns) ?? 0) + 1);
        if (openshift) {
            const found = openShiftFindings(t, nsObj.metadata.annotations ?? {});
            if (found.length)
                results.push((0,checks_result/* checkResult */.iJ)(divergence_KIND, `openshift ${(0,manifest_info/* describeObject */.v8)({ ...m.object, metadata: { ...m.object.metadata, namespace: ns } })}`, {
                    verdict: 'fail',
                    severity: 'high',
                    message: `${(0,manifest_info/* describeManifest */.FK)(m)} needs more than OpenShift's default SCC restricted-v2 allows: its pods will not be admitted unless its service account is granted ${[...new Set(found.map(f => f.scc))].join(' / ')}`,
                    evidence: found.map(f => `${f.path}: ${f.problem} (needs SCC ${f.scc})`).join('\n'),
                    adjustment: `drop the fixed UIDs and privileges (let OpenShift assign the UID from the namespace range), or have an admin run \`oc adm policy add-scc-to-user ${found[0].scc.split(' ')[0]} -z ${(0,manifest_info/* str */.gx)(t.spec.serviceAccountName) ?? 'default'} -n ${ns}\``,
                    location: (0,manifest_info/* manifestLocation */.zW)(m, found[0].path),
                    data: { findings: found }
                }));
        }
    }
    for (const ns of namespaces) {
        const nsObj = nsObjects.get(ns);
        if (nsObj === 'forbidden') {
            results.push((0,checks_result/* checkResult */.iJ)(divergence_KIND, `pod-security namespace ${ns}`, {
                verdict: 'warn',
                severity: 'low',
                message: `cannot read namespace ${ns} (forbidden), so its Pod Security levels are unknown; the admission dry-run still applies them`,
                location: ctx.loaded.locate(['target', 'namespace'])
            }));
            continue;
        }
        if (!nsObj)
            continue;
        const levels = podSecurityLabels(nsObj.metadata.labels ?? {});
        const set = ['enforce', 'warn', 'audit']
            .filter(k => levels[k])
            .map(k => `${k}=${levels[k]}`);
        if (clean.get(ns))
            results.push((0,checks_result/* checkResult */.iJ)(divergence_KIND, `pod-security namespace ${ns}`, {
                verdict: 'pass',
                message: set.length
                    ? `${clean.get(ns)} workload${clean.get(ns) === 1 ? '' : 's'} in ${ns} ${clean.get(ns) === 1 ? 'meets' : 'meet'} its Pod Security levels (${set.join(', ')})`
                    : `namespace ${ns} sets no Pod Security level (the cluster default applies, privileged unless configured)`,
                location: ctx.loaded.locate(['target', 'namespace'])
            }));
    }
    if (openshift) {
        const ingresses = ctx.manifests.filter(m => m.object.kind === 'Ingress');
        for (const m of ingresses)
            results.push((0,checks_result/* checkResult */.iJ)(divergence_KIND, `openshift ${(0,manifest_info/* describeObject */.v8)(m.object)} (Ingress)`, {
                verdict: 'warn',
                severity: 'low',
                message: `${(0,manifest_info/* describeManifest */.FK)(m)}: on OpenShift, Routes are the norm; the ingress-to-route controller turns this Ingress into a Route with default TLS settings`,
                adjustment: 'consider a route.openshift.io/v1 Route for edge/passthrough/reencrypt TLS and router annotations',
                location: (0,manifest_info/* manifestLocation */.zW)(m)
            }));
    }
    // (d) LoadBalancer Services.
    const lbServices = ctx.manifests.filter(m => m.object.kind === 'Service' &&
        (0,manifest_info/* isRecord */.u4)(m.object.spec) &&
        m.object.spec.type === 'LoadBalancer');
    if (lbServices.length) {
        const lb = await judgeLoadBalancer(ctx);
        for (const m of lbServices)
            results.push((0,checks_result/* checkResult */.iJ)(divergence_KIND, `load-balancer ${(0,manifest_info/* describeObject */.v8)(m.object)}`, {
                verdict: lb.available === true ? 'pass' : 'warn',
                severity: lb.available === true ? 'info' : 'medium',
                message: lb.available === true
                    ? `${(0,manifest_info/* describeManifest */.FK)(m)} is type LoadBalancer: this cluster provisions them`
                    : `${(0,manifest_info/* describeManifest */.FK)(m)} is type LoadBalancer, but nothing in this cluster seems to provision load balancers: its EXTERNAL-IP would stay <pending>`,
                evidence: `judged by: ${lb.how}`,
                adjustment: lb.available === true
                    ? undefined
                    : 'use a ClusterIP Service behind an Ingress/Gateway/Route, or NodePort; or install a load-balancer controller (MetalLB, kube-vip) first',
                location: (0,manifest_info/* manifestLocation */.zW)(m, 'spec.type')
            }));
    }
    // (e) registries outside the plan's allow-list.
    const allow = ctx.loaded.plan.registries?.allow;
    if (allow && allow.length > 0) {
        const outside = [];
        let firstOutside;
        for (const { m, t } of workloads)
            for (const c of (0,pod_templates/* containersOf */.Mz)(t)) {
                const image = (0,manifest_info/* str */.gx)(c.container.image);
                if (!image)
                    continue;
                let registry;
                try {
                    const ref = (0,reference/* parseImageReference */.o_)(image);
                    registry = ref.registry;
                    if (registryAllowed(ref, allow))
                        continue;
                }
                catch {
                    continue;
                }
                outside.push(`${m.file}:${m.line} ${(0,manifest_info/* describeObject */.v8)(m.object)} ${c.path}.image: ${image} (registry ${registry})`);
                firstOutside ??= (0,manifest_info/* manifestLocation */.zW)(m, `${c.path}.image`);
            }
        // Images the plan assumes without a manifest using them count too.
        for (const [i, a] of (ctx.loaded.plan.assumptions?.images ?? []).entries()) {
            const image = typeof a === 'string' ? a : a.ref;
            try {
                const ref = (0,reference/* parseImageReference */.o_)(image);
                if (registryAllowed(ref, allow))
                    continue;
                outside.push(`${ctx.loaded.displayFile} assumptions.images[${i}]: ${image} (registry ${ref.registry})`);
                firstOutside ??= ctx.loaded.locate(['assumptions', 'images', i]);
            }
            catch {
                // An unparsable reference is the image check's finding.
            }
        }
        results.push((0,checks_result/* checkResult */.iJ)(divergence_KIND, 'registries', {
            verdict: outside.length ? 'fail' : 'pass',
            severity: outside.length ? 'high' : 'info',
            message: outside.length
                ? `${outside.length} container image${outside.length === 1 ? ' comes' : 's come'} from registries outside registries.allow (${allow.join(', ')})`
                : `every container image comes from an allowed registry (${allow.join(', ')})`,
            evidence: outside.length ? outside.join('\n') : undefined,
            adjustment: outside.length
                ? 'mirror those images into an allowed registry and change the manifests, or extend registries.allow if the registry is approved'
                : undefined,
            location: firstOutside ?? ctx.loaded.locate(['registries', 'allow'])
        }));
    }
    return results;
}

// EXTERNAL MODULE: ./src/cel/criteria.ts
var criteria = __webpack_require__(2875);
// EXTERNAL MODULE: ./src/cel/cel-error.ts
var cel_error = __webpack_require__(4687);
// EXTERNAL MODULE: ./src/cel/env.ts + 11 modules
var env = __webpack_require__(5899);
;// CONCATENATED MODULE: ./src/hygiene/variables.ts
/**
 * Variables every hygiene rule may use as `variables.<name>`: the pod spec wherever the kind keeps
 * it, its containers, the pod template's labels, and the PodDisruptionBudgets beside the object.
 * They are written as ValidatingAdmissionPolicy `spec.variables` are, so a rule runs unchanged on
 * the apiserver; each is total (it never fails, whatever the object), which makes evaluating them
 * eagerly here the same as the apiserver's lazy evaluation.
 */
/** The variables computed from the object itself, in dependency order. */
const OBJECT_VARIABLES = [
    {
        name: 'podSpec',
        expression: "object.kind == 'Pod' ? object.?spec.orValue({}) : " +
            "(object.kind == 'CronJob' ? object.?spec.?jobTemplate.?spec.?template.?spec.orValue({}) : " +
            'object.?spec.?template.?spec.orValue({}))'
    },
    {
        name: 'podLabels',
        expression: "object.kind == 'Pod' ? object.metadata.?labels.orValue({}) : " +
            "(object.kind == 'CronJob' ? object.?spec.?jobTemplate.?spec.?template.?metadata.?labels.orValue({}) : " +
            'object.?spec.?template.?metadata.?labels.orValue({}))'
    },
    { name: 'containers', expression: 'variables.podSpec.?containers.orValue([])' },
    {
        name: 'allContainers',
        expression: 'variables.podSpec.?initContainers.orValue([]) + variables.podSpec.?containers.orValue([])'
    },
    { name: 'replicas', expression: 'object.?spec.?replicas.orValue(1)' }
];
/**
 * `variables.pdbs`: the PodDisruptionBudgets in the same namespace among the checked manifests,
 * each as `{name, matchLabels}`. A ValidatingAdmissionPolicy sees one object only, so there it
 * comes from a parameter object instead (PDB_PARAM_EXPRESSION).
 */
const PDBS_VARIABLE = 'pdbs';
/** How a ValidatingAdmissionPolicy gets `variables.pdbs`: from its parameter object. */
const PDB_PARAM_EXPRESSION = 'params.?spec.?pdbs.orValue([])';
/** Every variable name a rule may use. */
const VARIABLE_NAMES = [
    ...OBJECT_VARIABLES.map(v => v.name),
    PDBS_VARIABLE
];
/** The variables an expression refers to (`variables.x`), in definition order, with those they need. */
function variablesUsed(...sources) {
    const direct = new Set();
    const scan = (text) => {
        for (const m of text.matchAll(/\bvariables\.([A-Za-z_][A-Za-z0-9_]*)/g))
            direct.add(m[1]);
    };
    for (const s of sources)
        if (s)
            scan(s);
    // Variables refer to earlier ones: close over the definitions.
    for (let changed = true; changed;) {
        changed = false;
        for (const v of OBJECT_VARIABLES) {
            if (!direct.has(v.name))
                continue;
            const before = direct.size;
            scan(v.expression);
            if (direct.size !== before)
                changed = true;
        }
    }
    return VARIABLE_NAMES.filter(n => direct.has(n));
}

;// CONCATENATED MODULE: ./src/hygiene/engine.ts
/**
 * Judging objects by hygiene rules: each rule's CEL is compiled once (with Kubernetes' number
 * rules, as a ValidatingAdmissionPolicy compiles it) and evaluated per object with `object`,
 * `params` and `variables` bound.
 */




/** The names a rule's expressions may use. */
const RULE_VARS = ['object', 'params', 'variables'];
const compiledVariables = new Map();
function variableProgram(name) {
    let p = compiledVariables.get(name);
    if (!p) {
        const def = OBJECT_VARIABLES.find(v => v.name === name);
        if (!def)
            throw new Error(`internal: no hygiene variable ${name}`);
        p = (0,env/* compileExpression */.W)(def.expression, RULE_VARS, { mixedArithmetic: false });
        compiledVariables.set(name, p);
    }
    return p;
}
/** Compiles a rule; throws CelError (with the position) when its CEL is invalid. */
function compileRule(rule) {
    const opts = { mixedArithmetic: false };
    const check = (0,env/* compileExpression */.W)(rule.cel, RULE_VARS, opts);
    let message;
    if (rule.messageExpression)
        message = (0,env/* compileExpression */.W)(rule.messageExpression, RULE_VARS, opts);
    const variables = variablesUsed(rule.cel, rule.messageExpression);
    for (const source of [rule.cel, rule.messageExpression ?? '']) {
        const unknown = [...source.matchAll(/\bvariables\.([A-Za-z_]\w*)/g)]
            .map(m => m[1])
            .find(n => !variables.includes(n));
        if (unknown)
            throw new cel_error/* CelError */.P(`unknown variable variables.${unknown}; rules may use ${VARIABLE_NAMES.map(v => `variables.${v}`).join(', ')}`, 'check', source, source.indexOf(`variables.${unknown}`));
    }
    return { rule, variables, check, message };
}
/** True when the rule judges this kind of object. */
function ruleApplies(rule, obj) {
    return !rule.kinds || rule.kinds.includes(obj.kind);
}
/** The variables a rule needs for one object (cached per object across rules). */
class ObjectBindings {
    object;
    context;
    values = new Map();
    constructor(object, context) {
        this.object = object;
        this.context = context;
    }
    /** `object`, `params` and the named variables, ready for evaluate(). */
    bindings(names) {
        const variables = {};
        for (const name of names)
            variables[name] = this.variable(name, variables);
        return { object: this.object, params: this.context.params ?? {}, variables };
    }
    variable(name, earlier) {
        if (this.values.has(name))
            return this.values.get(name);
        const value = name === PDBS_VARIABLE
            ? (this.context.pdbs ?? [])
            : (0,env/* evaluate */._)(variableProgram(name), {
                object: this.object,
                params: this.context.params ?? {},
                variables: earlier
            });
        this.values.set(name, value);
        return value;
    }
}
/** Judges one object by one rule: pass, fail (with the message) or error (the CEL failed). */
function judgeObject(rule, subject) {
    let bindings;
    let result;
    try {
        bindings = subject.bindings(rule.variables);
        result = (0,env/* evaluate */._)(rule.check, bindings);
    }
    catch (err) {
        return { verdict: 'error', message: (0,core_errors/* errorMessage */.gJ)(err) };
    }
    if (result === true)
        return { verdict: 'pass' };
    if (result !== false)
        return {
            verdict: 'error',
            message: `the expression must give true or false, but it gave ${typeof result === 'bigint' ? String(result) : JSON.stringify(result)}`
        };
    let message = rule.rule.message;
    if (rule.message) {
        try {
            const m = (0,env/* evaluate */._)(rule.message, bindings);
            if (typeof m === 'string' && m.trim() !== '')
                message = m;
        }
        catch {
            // As on the apiserver: a failing messageExpression falls back to the static message.
        }
    }
    return { verdict: 'fail', message };
}
/** The PodDisruptionBudgets among these objects in `namespace` (objects without one are in `defaultNamespace`). */
function pdbSummaries(objects, namespace, defaultNamespace) {
    const out = [];
    for (const o of objects) {
        if (o.kind !== 'PodDisruptionBudget' || !o.apiVersion.startsWith('policy/'))
            continue;
        if ((o.metadata.namespace ?? defaultNamespace) !== namespace)
            continue;
        const spec = (typeof o.spec === 'object' && o.spec !== null ? o.spec : {});
        const sel = (typeof spec.selector === 'object' && spec.selector !== null ? spec.selector : {});
        const labels = {};
        if (typeof sel.matchLabels === 'object' && sel.matchLabels !== null)
            for (const [k, v] of Object.entries(sel.matchLabels))
                if (typeof v === 'string')
                    labels[k] = v;
        out.push({ name: o.metadata.name, matchLabels: labels });
    }
    return out;
}

;// CONCATENATED MODULE: ./src/hygiene/ignore.ts
/** `hygiene.ignore`: a rule switched off for one object (or all), with the reason a report shows. */
/**
 * True when `pattern` names the object: `Kind/name`, `Kind/namespace/name` or a bare `name`;
 * kinds compare case-insensitively and `*` matches any run of characters in a name.
 */
function objectMatches(pattern, obj, defaultNamespace) {
    const parts = pattern.trim().split('/');
    const nameMatches = (p) => new RegExp(`^${p.split('*').map(escapeRegExp).join('.*')}$`).test(obj.metadata.name);
    const kindMatches = (k) => k === '*' || k.toLowerCase() === obj.kind.toLowerCase();
    if (parts.length === 1)
        return nameMatches(parts[0]);
    if (parts.length === 2)
        return kindMatches(parts[0]) && nameMatches(parts[1]);
    if (parts.length === 3) {
        const ns = obj.metadata.namespace ?? defaultNamespace;
        return kindMatches(parts[0]) && (parts[1] === '*' || parts[1] === ns) && nameMatches(parts[2]);
    }
    return false;
}
function escapeRegExp(s) {
    return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
/** The index of the first entry that ignores `rule` for `obj`, or undefined. */
function findIgnore(entries, rule, obj, defaultNamespace) {
    const i = entries.findIndex(e => (e.rule === rule || e.rule === '*') &&
        (e.object === undefined || objectMatches(e.object, obj, defaultNamespace)));
    return i < 0 ? undefined : i;
}

;// CONCATENATED MODULE: ./src/hygiene/rules.ts
/**
 * The built-in hygiene rules. Each is CEL over `object` and the standard variables (variables.ts),
 * written so that it gives the same verdict here and as a ValidatingAdmissionPolicy on the
 * apiserver (the parity test proves it): every field that may be absent is read with `.?` and a
 * default equal to the apiserver's own default, so defaulting on the server changes nothing.
 */
/** Kinds that carry a pod spec. */
const WORKLOAD_KINDS = [
    'Pod',
    'Deployment',
    'StatefulSet',
    'DaemonSet',
    'ReplicaSet',
    'Job',
    'CronJob'
];
/** Kinds whose pods run for as long as the workload lives (and so serve). */
const SERVING_KINDS = [
    'Pod',
    'Deployment',
    'StatefulSet',
    'DaemonSet',
    'ReplicaSet'
];
/** Kinds with a replica count. */
const REPLICATED_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet'];
/** The names of the containers of `list` for which `bad` (over `c`) holds, joined. */
const names = (list, bad) => `${list}.filter(c, ${bad}).map(c, c.name).join(', ')`;
const HAS_REQUESTS = 'c.?resources.?requests.?cpu.hasValue() && c.?resources.?requests.?memory.hasValue()';
const HAS_LIMITS = 'c.?resources.?limits.?cpu.hasValue() && c.?resources.?limits.?memory.hasValue()';
const SERVES = 'c.?ports.orValue([]).size() > 0';
// The container's setting, else the pod's (a container's securityContext overrides the pod's).
const RUN_AS_USER = 'c.?securityContext.?runAsUser.orValue(variables.podSpec.?securityContext.?runAsUser.orValue(-1))';
const RUN_AS_NON_ROOT = 'c.?securityContext.?runAsNonRoot.orValue(variables.podSpec.?securityContext.?runAsNonRoot.orValue(false))';
const NON_ROOT = `(${RUN_AS_USER} != 0 && (${RUN_AS_NON_ROOT} || ${RUN_AS_USER} > 0))`;
const NO_ESCALATION = 'c.?securityContext.?allowPrivilegeEscalation.orValue(true) == false';
const CAPS_DROPPED = "(c.?securityContext.?capabilities.?drop.orValue([]).exists(d, d == 'ALL') && " +
    "c.?securityContext.?capabilities.?add.orValue([]).all(a, a == 'NET_BIND_SERVICE'))";
const SECCOMP = "c.?securityContext.?seccompProfile.?type.orValue(variables.podSpec.?securityContext.?seccompProfile.?type.orValue('')) in ['RuntimeDefault', 'Localhost']";
// Credentials by the variable's name (unless the name says it holds a path, URL or flag) or by the
// value's shape (cloud keys, tokens, private keys, URLs with a password). RE2, no backslashes.
const CREDENTIAL_NAME = '(?i)(passw(or)?d|pwd|secret|token|api[_-]?key|private[_-]?key|credential|access[_-]?key)';
const NOT_A_CREDENTIAL_NAME = '(?i)(_file|_path|_dir|_url|_uri|_endpoint|_host|_port|_enabled|_ttl|_timeout|_expiry|_length|_name|_type|_id)$';
const NOT_A_CREDENTIAL_VALUE = '(?i)^(true|false|yes|no|on|off|enabled|disabled|none|null|/.*|[$][(][a-z_][a-z0-9_]*[)])$';
const CREDENTIAL_SHAPE = [
    'AKIA[0-9A-Z]{16}',
    '-----BEGIN [A-Z ]*PRIVATE KEY-----',
    'gh[pousr]_[A-Za-z0-9]{36}',
    'xox[abprs]-[A-Za-z0-9-]{10,}',
    'eyJ[A-Za-z0-9_-]{10,}[.]eyJ[A-Za-z0-9_-]{10,}[.]',
    'sk_live_[0-9A-Za-z]{24,}',
    'AIza[0-9A-Za-z_-]{35}',
    '[a-zA-Z][a-zA-Z0-9+.-]*://[^/:@ ]+:[^/@ $]+@'
].join('|');
const LITERAL_SECRET = `(e.?value.orValue('') != '' && (e.value.matches('${CREDENTIAL_SHAPE}') || ` +
    `(e.name.matches('${CREDENTIAL_NAME}') && !e.name.matches('${NOT_A_CREDENTIAL_NAME}') && ` +
    `!e.value.matches('${NOT_A_CREDENTIAL_VALUE}'))))`;
const IMAGE = "c.?image.orValue('')";
const TAG_PINNED = `(${IMAGE}.contains('@') || (${IMAGE}.matches(':[^/:]+$') && !${IMAGE}.endsWith(':latest')))`;
const DIGEST_PINNED = `${IMAGE}.contains('@sha256:')`;
const PDB_SELECTS = "variables.pdbs.exists(p, p.?matchLabels.orValue({}).size() > 0 && p.?matchLabels.orValue({}).all(k, variables.podLabels[?k].orValue('') == p.matchLabels[k]))";
const SPREAD = 'variables.podSpec.?topologySpreadConstraints.orValue([]).size() > 0 || variables.podSpec.?affinity.?podAntiAffinity.hasValue()';
/** The built-in rules, in report order. */
const BUILTIN_RULES = [
    {
        id: 'resources-requests',
        severity: 'medium',
        kinds: WORKLOAD_KINDS,
        cel: `variables.allContainers.all(c, ${HAS_REQUESTS})`,
        message: 'a container sets no cpu or memory request',
        messageExpression: `'containers without cpu and memory requests: ' + ${names('variables.allContainers', `!(${HAS_REQUESTS})`)}`,
        fix: 'set resources.requests.cpu and resources.requests.memory on every container (the scheduler places pods by requests; without them quota and autoscaling cannot work)',
        source: 'builtin'
    },
    {
        id: 'resources-limits',
        severity: 'medium',
        kinds: WORKLOAD_KINDS,
        cel: `variables.allContainers.all(c, ${HAS_LIMITS})`,
        message: 'a container sets no cpu or memory limit',
        messageExpression: `'containers without cpu and memory limits: ' + ${names('variables.allContainers', `!(${HAS_LIMITS})`)}`,
        fix: 'set resources.limits.memory (a leak then restarts one container instead of starving the node) and resources.limits.cpu, or disable this rule with a reason if the platform sets limits through a LimitRange',
        source: 'builtin'
    },
    {
        id: 'readiness-probe',
        severity: 'medium',
        kinds: SERVING_KINDS,
        cel: `variables.containers.all(c, !(${SERVES}) || c.?readinessProbe.hasValue())`,
        message: 'a serving container has no readinessProbe',
        messageExpression: `'serving containers without a readinessProbe: ' + ${names('variables.containers', `${SERVES} && !c.?readinessProbe.hasValue()`)}`,
        fix: 'add a readinessProbe to every container that declares ports, so Services send traffic only to pods that can answer and rollouts wait for them',
        source: 'builtin'
    },
    {
        id: 'liveness-probe',
        severity: 'low',
        kinds: SERVING_KINDS,
        cel: `variables.containers.all(c, !(${SERVES}) || c.?livenessProbe.hasValue())`,
        message: 'a serving container has no livenessProbe',
        messageExpression: `'serving containers without a livenessProbe: ' + ${names('variables.containers', `${SERVES} && !c.?livenessProbe.hasValue()`)}`,
        fix: 'add a livenessProbe (a cheap endpoint, not the readiness check) so a hung process is restarted',
        source: 'builtin'
    },
    {
        id: 'run-as-non-root',
        severity: 'high',
        kinds: WORKLOAD_KINDS,
        cel: `variables.allContainers.all(c, ${NON_ROOT})`,
        message: 'a container may run as root',
        messageExpression: `'containers that may run as root: ' + ${names('variables.allContainers', `!${NON_ROOT}`)}`,
        fix: 'set securityContext.runAsNonRoot: true on the pod (and never runAsUser: 0); prefer a numeric USER in the image over a fixed runAsUser, which OpenShift refuses',
        source: 'builtin'
    },
    {
        id: 'no-privilege-escalation',
        severity: 'high',
        kinds: WORKLOAD_KINDS,
        cel: `variables.allContainers.all(c, ${NO_ESCALATION})`,
        message: 'a container allows privilege escalation',
        messageExpression: `'containers without allowPrivilegeEscalation: false: ' + ${names('variables.allContainers', `!(${NO_ESCALATION})`)}`,
        fix: 'set securityContext.allowPrivilegeEscalation: false on every container (the default is true)',
        source: 'builtin'
    },
    {
        id: 'drop-capabilities',
        severity: 'medium',
        kinds: WORKLOAD_KINDS,
        cel: `variables.allContainers.all(c, ${CAPS_DROPPED})`,
        message: 'a container keeps Linux capabilities',
        messageExpression: `'containers that do not drop ALL capabilities (or add more than NET_BIND_SERVICE): ' + ${names('variables.allContainers', `!${CAPS_DROPPED}`)}`,
        fix: 'set securityContext.capabilities.drop: [ALL] on every container, adding back only NET_BIND_SERVICE where a port below 1024 is needed',
        source: 'builtin'
    },
    {
        id: 'seccomp-runtime-default',
        severity: 'medium',
        kinds: WORKLOAD_KINDS,
        cel: `variables.allContainers.all(c, ${SECCOMP})`,
        message: 'a container runs without a seccomp profile',
        messageExpression: `'containers without seccompProfile RuntimeDefault: ' + ${names('variables.allContainers', `!(${SECCOMP})`)}`,
        fix: 'set securityContext.seccompProfile.type: RuntimeDefault on the pod',
        source: 'builtin'
    },
    {
        id: 'no-secret-data',
        severity: 'high',
        kinds: ['Secret'],
        cel: 'object.?data.orValue({}).size() == 0 && object.?stringData.orValue({}).size() == 0',
        message: 'the manifest commits secret values',
        messageExpression: "'Secret ' + object.metadata.name + ' commits values for ' + (object.?data.orValue({}).map(k, k) + object.?stringData.orValue({}).map(k, k)).join(', ')",
        fix: 'keep secret values out of the repository: create the Secret from a secret store (External Secrets, Sealed Secrets, SOPS, the CI secret store) and reference it from the workload',
        source: 'builtin'
    },
    {
        id: 'no-env-secrets',
        severity: 'high',
        kinds: WORKLOAD_KINDS,
        cel: `variables.allContainers.all(c, c.?env.orValue([]).all(e, !${LITERAL_SECRET}))`,
        message: 'an env value looks like a literal credential',
        messageExpression: `'env values that look like credentials: ' + variables.allContainers.filter(c, c.?env.orValue([]).exists(e, ${LITERAL_SECRET}))` +
            `.map(c, c.name + ' ' + c.env.filter(e, ${LITERAL_SECRET}).map(e, e.name).join(' ')).join(', ')`,
        fix: 'move the value into a Secret and reference it with env[].valueFrom.secretKeyRef (or envFrom.secretRef)',
        source: 'builtin'
    },
    {
        id: 'image-tag',
        severity: 'high',
        kinds: WORKLOAD_KINDS,
        cel: `variables.allContainers.all(c, ${TAG_PINNED})`,
        message: 'an image has no tag or uses latest',
        messageExpression: `'images without a fixed tag: ' + variables.allContainers.filter(c, !${TAG_PINNED}).map(c, c.name + ' (' + ${IMAGE} + ')').join(', ')`,
        fix: 'name an exact version tag (or a digest); latest and missing tags make every pull a different image and rollbacks meaningless',
        source: 'builtin'
    },
    {
        id: 'image-digest',
        severity: 'low',
        kinds: WORKLOAD_KINDS,
        cel: `variables.allContainers.all(c, ${DIGEST_PINNED})`,
        message: 'an image is not pinned by digest',
        messageExpression: `'images not pinned by digest: ' + variables.allContainers.filter(c, !${DIGEST_PINNED}).map(c, c.name + ' (' + ${IMAGE} + ')').join(', ')`,
        fix: 'pin images as name:tag@sha256:<digest> (the image check prints the digest), so a re-pushed tag cannot change what runs',
        source: 'builtin'
    },
    {
        id: 'pod-disruption-budget',
        severity: 'medium',
        kinds: REPLICATED_KINDS,
        cel: `variables.replicas <= 1 || ${PDB_SELECTS}`,
        message: 'a replicated workload has no PodDisruptionBudget',
        messageExpression: "object.kind + ' ' + object.metadata.name + ' runs ' + string(variables.replicas) + ' replicas, but no PodDisruptionBudget beside it selects its pods'",
        fix: 'add a policy/v1 PodDisruptionBudget (e.g. maxUnavailable: 1) whose selector matches the pod labels, so node drains keep replicas serving',
        source: 'builtin'
    },
    {
        id: 'topology-spread',
        severity: 'low',
        kinds: REPLICATED_KINDS,
        cel: `variables.replicas <= 1 || ${SPREAD}`,
        message: 'a replicated workload does not spread its pods',
        messageExpression: "object.kind + ' ' + object.metadata.name + ' runs ' + string(variables.replicas) + ' replicas with neither topologySpreadConstraints nor podAntiAffinity'",
        fix: 'add topologySpreadConstraints over kubernetes.io/hostname (and topology.kubernetes.io/zone), so one node or zone going down does not take every replica',
        source: 'builtin'
    }
];

;// CONCATENATED MODULE: ./src/hygiene/plan-rules.ts
/** The rules a plan runs: the built-ins minus `hygiene.disable`, plus (or replaced by) `hygiene.rules`. */

/** The rules to run; a plan rule with a built-in's id takes its place. */
function planRules(spec) {
    const own = (spec?.rules ?? []).map((r) => ({
        id: r.id,
        severity: r.severity ?? 'medium',
        kinds: r.match?.kinds?.length ? r.match.kinds : undefined,
        cel: r.cel,
        message: r.message,
        fix: r.fix ?? '',
        source: 'plan'
    }));
    const planIndex = new Map(own.map((r, i) => [r.id, i]));
    const all = [...BUILTIN_RULES.filter(b => !planIndex.has(b.id)), ...own];
    const disabled = spec?.disable ?? [];
    const unknownDisabled = disabled
        .map((id, index) => ({ id, index }))
        .filter(d => !all.some(r => r.id === d.id));
    return {
        rules: all.filter(r => !disabled.includes(r.id)),
        planIndex,
        unknownDisabled
    };
}

;// CONCATENATED MODULE: ./src/checks/hygiene.ts
/**
 * Hygiene: every manifest (and every object a Helm phase renders) judged by the hygiene rules,
 * CEL over `object` as a ValidatingAdmissionPolicy would judge it (src/hygiene). A finding names
 * the manifest's file:line (for Helm output, the chart template) and the object; `high` fails,
 * `medium` and `low` warn (`hygiene.failOn` moves that line). `hygiene.ignore` turns a finding into a `skip` that shows its reason.
 * Image sizes stay with the image check (500 MB by default).
 */






const hygiene_KIND = 'hygiene';
const SEVERITY_RANK = { high: 3, medium: 2, low: 1 };
/** The verdict a finding of this severity gives: fail from `failOn` up (default high), warn below. */
function findingVerdict(severity, failOn = 'high') {
    return failOn !== 'never' && SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn] ? 'fail' : 'warn';
}
/** Every hygiene result for the context's manifests: findings, ignored findings, rule errors and a summary. */
function judgeHygiene(ctx) {
    const spec = ctx.loaded.plan.hygiene;
    const set = planRules(spec);
    const ignores = spec?.ignore ?? [];
    const params = spec?.params ?? {};
    const results = [];
    const compiled = [];
    const ruleLocation = (rule, field) => {
        const i = set.planIndex.get(rule.id);
        return i === undefined
            ? ctx.loaded.locate(['hygiene'])
            : ctx.loaded.locate(['hygiene', 'rules', i, field]);
    };
    for (const rule of set.rules) {
        try {
            compiled.push(compileRule(rule));
        }
        catch (err) {
            results.push((0,checks_result/* checkResult */.iJ)(hygiene_KIND, `rule ${rule.id}`, {
                verdict: 'error',
                severity: 'high',
                message: `hygiene rule ${rule.id} does not compile: ${(0,criteria/* describeCelError */.yh)(err)}`,
                adjustment: 'fix the expression (it must compile as in a ValidatingAdmissionPolicy: no int/double arithmetic mixes)',
                location: ruleLocation(rule, 'cel')
            }));
        }
    }
    for (const d of set.unknownDisabled)
        results.push((0,checks_result/* checkResult */.iJ)(hygiene_KIND, `disable ${d.id}`, {
            verdict: 'warn',
            severity: 'low',
            message: `hygiene.disable names ${d.id}, which is no rule`,
            evidence: `rules: ${set.rules.map(r => r.id).join(', ')}`,
            location: ctx.loaded.locate(['hygiene', 'disable', d.index])
        }));
    const objects = ctx.manifests.map(m => m.object);
    const pdbCache = new Map();
    const usedIgnores = new Set();
    const seen = new Set();
    let findings = 0;
    let ignored = 0;
    let judged = 0;
    const byRule = {};
    for (const m of ctx.manifests) {
        const ns = m.object.metadata.namespace ?? ctx.namespace;
        if (!pdbCache.has(ns))
            pdbCache.set(ns, pdbSummaries(objects, ns, ctx.namespace));
        const subject = new ObjectBindings(m.object, { params, pdbs: pdbCache.get(ns) });
        let any = false;
        for (const rule of compiled) {
            if (!ruleApplies(rule.rule, m.object))
                continue;
            any = true;
            const outcome = judgeObject(rule, subject);
            if (outcome.verdict === 'pass')
                continue;
            let target = `${rule.rule.id} ${(0,manifest_info/* describeObject */.v8)(m.object)}`;
            if (seen.has(target))
                target = `${target} (${m.file}:${m.line})`;
            seen.add(target);
            const data = {
                rule: rule.rule.id,
                source: rule.rule.source,
                object: `${m.object.kind}/${m.object.metadata.name}`,
                ...(m.source ? { template: m.source } : {})
            };
            if (outcome.verdict === 'error') {
                results.push((0,checks_result/* checkResult */.iJ)(hygiene_KIND, target, {
                    verdict: 'error',
                    severity: 'medium',
                    message: `hygiene rule ${rule.rule.id} could not judge ${(0,manifest_info/* describeManifest */.FK)(m)}: ${outcome.message}`,
                    adjustment: rule.rule.source === 'plan'
                        ? 'guard optional fields with has(...) or .?field.orValue(default); a ValidatingAdmissionPolicy would deny the object on this error'
                        : undefined,
                    location: (0,manifest_info/* manifestLocation */.zW)(m),
                    data
                }));
                continue;
            }
            const ignore = findIgnore(ignores, rule.rule.id, m.object, ctx.namespace);
            if (ignore !== undefined) {
                usedIgnores.add(ignore);
                ignored++;
                results.push((0,checks_result/* checkResult */.iJ)(hygiene_KIND, target, {
                    verdict: 'skip',
                    severity: 'info',
                    message: `ignored ${rule.rule.id} on ${(0,manifest_info/* describeManifest */.FK)(m)}: ${ignores[ignore].reason}`,
                    evidence: outcome.message,
                    location: (0,manifest_info/* manifestLocation */.zW)(m),
                    data: {
                        ...data,
                        ignored: true,
                        reason: ignores[ignore].reason,
                        severity: rule.rule.severity
                    }
                }));
                continue;
            }
            findings++;
            byRule[rule.rule.id] = (byRule[rule.rule.id] ?? 0) + 1;
            results.push((0,checks_result/* checkResult */.iJ)(hygiene_KIND, target, {
                verdict: findingVerdict(rule.rule.severity, spec?.failOn),
                severity: rule.rule.severity,
                message: `${(0,manifest_info/* describeManifest */.FK)(m)}: ${outcome.message}`,
                adjustment: [
                    rule.rule.fix,
                    `or accept it: hygiene.ignore: [{rule: ${rule.rule.id}, object: ${m.object.kind}/${m.object.metadata.name}, reason: ...}]`
                ]
                    .filter(Boolean)
                    .join('; '),
                location: (0,manifest_info/* manifestLocation */.zW)(m),
                data: { ...data, severity: rule.rule.severity }
            }));
        }
        if (any)
            judged++;
    }
    ignores.forEach((e, i) => {
        if (usedIgnores.has(i))
            return;
        results.push((0,checks_result/* checkResult */.iJ)(hygiene_KIND, `ignore ${e.rule}${e.object ? ` ${e.object}` : ''}`, {
            verdict: 'warn',
            severity: 'low',
            message: `hygiene.ignore[${i}] (${e.rule}${e.object ? ` on ${e.object}` : ''}) matched no finding`,
            adjustment: set.rules.some(r => r.id === e.rule) || e.rule === '*'
                ? 'remove the entry: the finding it excused is gone'
                : `no rule is called ${e.rule}; rules: ${set.rules.map(r => r.id).join(', ')}`,
            location: ctx.loaded.locate(['hygiene', 'ignore', i])
        }));
    });
    results.push((0,checks_result/* checkResult */.iJ)(hygiene_KIND, 'summary', {
        verdict: 'pass',
        message: `${judged} object${judged === 1 ? '' : 's'} judged by ${compiled.length} hygiene rule${compiled.length === 1 ? '' : 's'}: ${findings} finding${findings === 1 ? '' : 's'}, ${ignored} ignored (image sizes: see the image check)`,
        data: {
            objects: judged,
            rules: compiled.map(r => r.rule.id),
            findings,
            ignored,
            byRule
        }
    }));
    return results;
}
const hygieneCheck = {
    kind: hygiene_KIND,
    applies: ctx => ctx.manifests.length > 0,
    run: async (ctx) => judgeHygiene(ctx)
};

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./src/helm/helm.ts
var helm_helm = __webpack_require__(4910);
;// CONCATENATED MODULE: ./src/checks/helm-render.ts
/**
 * Helm phases in the reality check: `helm lint` and `helm template` with the plan's values (and
 * this cluster's version and API versions as the chart's Capabilities), the rendered objects fed
 * into the manifests every other kind checks (dry-run, derived permissions, divergence, hygiene),
 * each pointing at its chart template (`# Source:`). Templates that hard-code an image or a
 * namespace are named too: values should carry those.
 */









const helm_render_KIND = 'helm';
const cache = new WeakMap();
/** True when the plan deploys a chart in some phase. */
function hasHelmPhases(loaded) {
    return (loaded.plan.phases ?? []).some(p => p.helm !== undefined);
}
/** Renders the plan's Helm phases once per loaded plan (the hook and the check share it). */
function renderHelmPhases(input) {
    let p = cache.get(input.loaded);
    if (!p) {
        p = render(input);
        cache.set(input.loaded, p);
    }
    return p;
}
/**
 * The reality check's hook: appends the rendered chart objects to `rc.manifests` before the
 * kinds run, so Helm output is checked like any manifest.
 */
async function appendRenderedHelm(rc) {
    if (!hasHelmPhases(rc.loaded))
        return;
    rc.manifests.push(...(await renderHelmPhases(rc)).manifests);
}
/** A local chart directory (relative to the plan), or undefined for repository and OCI references. */
async function localChart(loaded, chart) {
    if (/^[a-z][a-z0-9+.-]*:\/\//.test(chart))
        return undefined;
    const dir = (0,external_node_path_.resolve)(loaded.dir, chart);
    return (0,promises_.stat)(dir).then(s => (s.isDirectory() ? dir : undefined), () => undefined);
}
/**
 * Where a rendered object came from: `<chart>/templates/x.yaml` from `# Source:` mapped to the
 * file in the repository (the chart name is the first segment; subcharts keep `charts/<name>/`).
 */
function templateFile(source, chartDir, workspace) {
    const inChart = source.split('/').slice(1).join(external_node_path_.sep);
    return (0,external_node_path_.relative)(workspace, (0,external_node_path_.join)(chartDir, inChart)) || source;
}
/** The line of the template where an object of this kind starts (`kind: X`), else 1. */
function templateLine(text, kind) {
    const lines = text.split('\n');
    const re = new RegExp(`^\\s*kind:\\s*["']?${kind}["']?\\s*(#.*)?$`);
    const i = lines.findIndex(l => re.test(l));
    return i < 0 ? 1 : i + 1;
}
/** Lint output lines by level. */
function parseLint(output) {
    const lines = output.split('\n').map(l => l.trim());
    return {
        errors: lines.filter(l => l.startsWith('[ERROR]')),
        warnings: lines.filter(l => l.startsWith('[WARNING]'))
    };
}
/** Template lines that hard-code what values should carry: an image or a namespace. */
function hardCodedValues(text) {
    const out = [];
    text.split('\n').forEach((l, i) => {
        if (/^\s*#/.test(l) || l.includes('{{'))
            return;
        const m = /^\s*-?\s*(image|namespace):\s*["']?([^\s"'#]+)/.exec(l);
        if (m)
            out.push({ line: i + 1, what: m[1], text: l.trim() });
    });
    return out;
}
/** `--api-versions` for every served group/version and group/version/Kind, as `helm install` would see them. */
function apiVersionFlags(surface) {
    const seen = new Set();
    for (const r of surface.resources) {
        const gv = (0,types/* joinApiVersion */.fJ)(r.group, r.version);
        seen.add(gv);
        seen.add(`${gv}/${r.kind}`);
    }
    return [...seen].sort().flatMap(v => ['--api-versions', v]);
}
async function templatesOf(chartDir) {
    const out = [];
    const walk = async (dir) => {
        for (const e of await (0,promises_.readdir)(dir, { withFileTypes: true }).catch(() => [])) {
            const p = (0,external_node_path_.join)(dir, e.name);
            if (e.isDirectory())
                await walk(p);
            else if (/\.(ya?ml|tpl)$/.test(e.name))
                out.push(p);
        }
    };
    await walk((0,external_node_path_.join)(chartDir, 'templates'));
    return out.sort();
}
async function render(input) {
    const { loaded } = input;
    const manifests = [];
    const results = [];
    let kubeVersion;
    try {
        kubeVersion = (await input.cluster.version()).gitVersion;
    }
    catch {
        // Without the server's version helm renders for its own default; the dry-run still judges.
    }
    const phases = (loaded.plan.phases ?? [])
        .map((phase, index) => ({ phase, index }))
        .filter((p) => p.phase.helm !== undefined);
    for (const { phase, index } of phases) {
        const spec = phase.helm;
        const location = loaded.locate(['phases', index, 'helm']);
        const namespace = spec.namespace ?? input.namespace;
        const helm = new helm_helm/* Helm */.f5({ exec: input.exec, namespace, signal: input.signal });
        const chartDir = await localChart(loaded, spec.chart);
        const chart = chartDir ?? spec.chart;
        const what = `release ${spec.release} (phase ${phase.name})`;
        const tmp = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'phase-gate-helm-'));
        try {
            const values = (spec.valuesFiles ?? []).map(f => (0,external_node_path_.resolve)(loaded.dir, f));
            if (spec.values && Object.keys(spec.values).length) {
                const file = (0,external_node_path_.join)(tmp, 'values.yaml');
                await (0,promises_.writeFile)(file, (0,dist/* stringify */.As)(spec.values), { mode: 0o600 });
                values.push(file);
            }
            const valueFlags = values.flatMap(f => ['--values', f]);
            if (chartDir) {
                try {
                    const r = await helm.run(['lint', chartDir, ...valueFlags]);
                    const { warnings } = parseLint(r.stdout);
                    results.push((0,checks_result/* checkResult */.iJ)(helm_render_KIND, `lint ${spec.release}`, {
                        verdict: warnings.length ? 'warn' : 'pass',
                        severity: warnings.length ? 'low' : 'info',
                        message: warnings.length
                            ? `helm lint of ${what} passes with ${warnings.length} warning${warnings.length === 1 ? '' : 's'}`
                            : `helm lint of ${what} passes`,
                        evidence: warnings.join('\n') || undefined,
                        location
                    }));
                }
                catch (err) {
                    const out = err instanceof helm_helm/* HelmError */.t2 ? `${err.result.stdout}\n${err.result.stderr}` : '';
                    const { errors } = parseLint(out);
                    results.push((0,checks_result/* checkResult */.iJ)(helm_render_KIND, `lint ${spec.release}`, {
                        verdict: 'fail',
                        severity: 'high',
                        message: `helm lint of ${what} fails${errors.length ? `: ${errors[0]}` : ''}`,
                        evidence: (errors.join('\n') || (0,core_errors/* errorMessage */.gJ)(err)).slice(0, 4000),
                        adjustment: 'fix the chart (the lines name the template); the release would not install',
                        location
                    }));
                }
                for (const file of await templatesOf(chartDir)) {
                    const found = hardCodedValues(await (0,promises_.readFile)(file, 'utf8'));
                    for (const f of found)
                        results.push((0,checks_result/* checkResult */.iJ)(helm_render_KIND, `values ${(0,external_node_path_.relative)(input.settings.workspace, file)}:${f.line}`, {
                            verdict: 'warn',
                            severity: 'low',
                            message: `${(0,external_node_path_.relative)(input.settings.workspace, file)}:${f.line} hard-codes ${f.what === 'image' ? 'an image' : 'a namespace'} (${f.text}): the chart's values cannot change it`,
                            adjustment: f.what === 'image'
                                ? 'take repository and tag from values ({{ .Values.image.repository }}:{{ .Values.image.tag }})'
                                : 'use {{ .Release.Namespace }} so the release namespace applies',
                            location: {
                                file: (0,external_node_path_.relative)(input.settings.workspace, file),
                                line: f.line,
                                column: 1
                            }
                        }));
                }
            }
            else {
                results.push((0,checks_result/* checkResult */.iJ)(helm_render_KIND, `lint ${spec.release}`, {
                    verdict: 'skip',
                    severity: 'info',
                    message: `helm lint of ${what} skipped: ${spec.chart} is not a chart directory in the repository; its rendered output is still checked`,
                    location
                }));
            }
            const args = ['template', spec.release, chart, ...valueFlags, '--include-crds'];
            if (spec.version)
                args.push('--version', spec.version);
            if (kubeVersion)
                args.push('--kube-version', kubeVersion);
            args.push(...apiVersionFlags(input.surface));
            let text;
            try {
                text = (await helm.run(args)).stdout;
            }
            catch (err) {
                const detail = err instanceof helm_helm/* HelmError */.t2
                    ? err.result.stderr.trim() || (0,core_errors/* errorMessage */.gJ)(err)
                    : (0,core_errors/* errorMessage */.gJ)(err);
                results.push((0,checks_result/* checkResult */.iJ)(helm_render_KIND, `template ${spec.release}`, {
                    verdict: 'fail',
                    severity: 'high',
                    message: `helm template of ${what} fails, so its objects cannot be checked`,
                    evidence: detail.slice(0, 4000),
                    adjustment: 'fix the chart or the values the plan passes',
                    location
                }));
                continue;
            }
            const display = `helm template ${spec.release}`;
            const objects = (0,plan_manifests/* parseManifests */.Ye)(text, display);
            const templateTexts = new Map();
            for (const m of objects) {
                if (m.source && chartDir) {
                    const file = templateFile(m.source, chartDir, input.settings.workspace);
                    if (!templateTexts.has(file))
                        templateTexts.set(file, await (0,promises_.readFile)((0,external_node_path_.resolve)(input.settings.workspace, file), 'utf8').catch(() => ''));
                    manifests.push({
                        ...m,
                        file,
                        line: templateLine(templateTexts.get(file) ?? '', m.object.kind),
                        column: 1
                    });
                }
                else {
                    manifests.push({ ...m, file: m.source ? `${spec.chart}: ${m.source}` : display });
                }
            }
            results.push((0,checks_result/* checkResult */.iJ)(helm_render_KIND, `template ${spec.release}`, {
                verdict: 'pass',
                message: `helm template of ${what} renders ${objects.length} object${objects.length === 1 ? '' : 's'}; they go through the dry-run, permissions, divergence and hygiene checks`,
                evidence: objects
                    .map(m => `${m.source ?? display}: ${m.object.kind} ${m.object.metadata.name}`)
                    .join('\n') || undefined,
                location,
                data: { objects: objects.length, kubeVersion }
            }));
        }
        catch (err) {
            results.push((0,checks_result/* checkResult */.iJ)(helm_render_KIND, `template ${spec.release}`, {
                verdict: 'error',
                message: `could not render ${what}: ${(0,core_errors/* errorMessage */.gJ)(err)}`,
                location
            }));
        }
        finally {
            await (0,promises_.rm)(tmp, { recursive: true, force: true });
        }
    }
    return { manifests, results };
}
const helmRenderCheck = {
    kind: helm_render_KIND,
    applies: ctx => hasHelmPhases(ctx.loaded),
    run: async (ctx) => (await renderHelmPhases(ctx)).results
};

;// CONCATENATED MODULE: ./src/checks/index.ts
/** The reality check's kinds, in report order. Adding a kind: one module, one line here. */












const ASSUMPTION_CHECKS = [
    namespaceCheck,
    helmRenderCheck,
    apiCheck,
    imageCheck,
    crdCheck,
    operatorCheck,
    permissionCheck,
    quotaCheck,
    storageClassCheck,
    admissionCheck,
    divergenceCheck,
    hygieneCheck
];

// EXTERNAL MODULE: ./src/kube/secret-values.ts
var secret_values = __webpack_require__(9368);
// EXTERNAL MODULE: ./src/plan/budgets.ts
var budgets = __webpack_require__(6817);
// EXTERNAL MODULE: ./src/kube/pre-deployment.ts
var pre_deployment = __webpack_require__(3122);
// EXTERNAL MODULE: ./src/kube/state-record.ts
var state_record = __webpack_require__(8076);
// EXTERNAL MODULE: ./src/report/model.ts
var model = __webpack_require__(6867);
;// CONCATENATED MODULE: ./src/gates/reality-check.ts
/** Gate R: every assumption of the plan proven on the live cluster, all kinds concurrently. */









/** Builds the shared context once: discovery and manifests load concurrently. */
async function realityContext(ctx) {
    const cluster = await ctx.cluster();
    const [surface, manifests] = await Promise.all([
        cluster.discover(),
        (0,plan_manifests/* loadAssumedManifests */.Jw)(ctx.loaded, ctx.settings.workspace)
    ]);
    for (const m of manifests)
        (0,secret_values/* registerSecretValues */.o)(m.object);
    const rc = {
        loaded: ctx.loaded,
        settings: ctx.settings,
        namespace: ctx.namespace,
        runId: ctx.runId,
        cluster,
        surface,
        manifests,
        registry: () => ctx.registry(),
        exec: ctx.exec,
        clock: ctx.clock,
        log: ctx.log,
        signal: ctx.signal
    };
    // Helm phases: the rendered chart objects join the manifests every kind checks.
    await appendRenderedHelm(rc);
    return rc;
}
const realityCheckGate = {
    name: 'reality-check',
    async run(ctx) {
        const started = ctx.clock.now();
        const rc = await realityContext(ctx);
        const kinds = ASSUMPTION_CHECKS.filter(k => k.applies(rc));
        let done = 0;
        ctx.progress({
            gate: 'reality-check',
            activity: `checking ${kinds.map(k => k.kind).join(', ')}`,
            done,
            total: kinds.length
        });
        const results = await Promise.all(kinds.map(async (k) => {
            let r;
            try {
                r = await k.run(rc);
            }
            catch (err) {
                r = [(0,checks_result/* errorResult */.WG)(k.kind, k.kind, err)];
            }
            done++;
            ctx.progress({
                gate: 'reality-check',
                activity: `${k.kind} checked`,
                done,
                total: kinds.length
            });
            return r;
        }));
        const result = (0,model/* gateResult */.xp)('reality-check', started, results.flat(), {
            now: ctx.clock.now(),
            budgetMs: (0,budgets/* budgetMs */.OU)(ctx.loaded.plan, 'reality-check'),
            details: {
                discovery: { aggregated: rc.surface.aggregated, requests: rc.surface.requests },
                manifests: rc.manifests.length
            }
        });
        await markImagesReady(ctx, rc, result);
        return [result];
    }
};
/**
 * A passing reality check whose image checks all passed moves the plan's
 * target to `images-ready` (unless a release is in flight there). The only
 * write this gate makes; one it cannot make (no namespace yet, read-only
 * credentials) is a note, never a verdict.
 */
async function markImagesReady(ctx, rc, result) {
    if (ctx.settings.dryRun || !(0,model/* isPassing */.WG)(result.verdict) || result.verdict === 'skip')
        return;
    const images = result.checks.filter(c => c.kind === 'image');
    if (!images.every(c => (0,model/* isPassing */.WG)(c.verdict)))
        return;
    const record = new state_record/* StateRecord */.l(rc.cluster, ctx.loaded.plan.name, ctx.namespace, ctx.loaded.plan.state?.keepRuns);
    const reason = images.length
        ? `reality check: ${images.length} image${images.length === 1 ? '' : 's'} pullable`
        : 'reality check: the plan names no image';
    const outcome = await (0,pre_deployment/* recordPreDeployment */.qF)(record, 'images-ready', ctx.runId, reason, new Date(ctx.clock.now()).toISOString());
    result.notes = [
        ...(result.notes ?? []),
        outcome.recorded
            ? `deployment state: images-ready (${reason})`
            : `deployment state not moved to images-ready: ${outcome.blocker?.message ?? 'unknown'}`
    ];
    if (outcome.recorded)
        result.details = { ...(result.details ?? {}), state: 'images-ready' };
}

// EXTERNAL MODULE: ./src/gates/tracer.ts + 1 modules
var tracer = __webpack_require__(5642);
// EXTERNAL MODULE: ./src/cel/shorthand.ts
var shorthand = __webpack_require__(7239);
// EXTERNAL MODULE: ./src/core/clock.ts
var core_clock = __webpack_require__(2257);
// EXTERNAL MODULE: ./src/core/secrets.ts
var secrets = __webpack_require__(8198);
// EXTERNAL MODULE: ./src/github/api-error.ts
var api_error = __webpack_require__(3660);
;// CONCATENATED MODULE: ./src/github/environment.ts
/**
 * "Human approval must exist": the approval environment has required
 * reviewers or a wait timer. Without either, GitHub runs a job that names the
 * environment without asking anyone; a missing environment is created on
 * first use, unprotected.
 */




function reviewerName(r) {
    const who = r.reviewer?.login ?? r.reviewer?.slug ?? r.reviewer?.name ?? '?';
    return r.type === 'Team' ? `team ${who}` : who;
}
/** Reads the approval environment and judges whether it makes a person (or a timer) hold the job. */
async function checkApprovalEnvironment(gh, name, opts = {}) {
    const clock = opts.clock ?? core_clock/* systemClock */.m;
    const started = clock.now();
    const settingsUrl = `${gh.serverUrl ?? 'https://github.com'}/${gh.repo.owner}/${gh.repo.repo}/settings/environments`;
    const base = {
        id: `approval:${name}`,
        kind: 'approval',
        target: name,
        location: opts.location
    };
    const done = (r) => ({
        ...base,
        ...r,
        durationMs: Math.max(0, clock.now() - started)
    });
    let env;
    try {
        env = await gh.getEnvironment(name);
    }
    catch (err) {
        const status = err instanceof api_error/* GitHubApiError */.O ? err.status : undefined;
        const denied = status === 401 || status === 403;
        return done({
            verdict: 'error',
            severity: 'high',
            message: `could not read the approval environment "${name}": ${(0,secrets/* redact */.E$)((0,core_errors/* errorMessage */.gJ)(err))}`,
            adjustment: denied
                ? "Give the job a token that can read the repository's environments (for the GITHUB_TOKEN: `permissions: actions: read`)."
                : 'Retry the job; if GitHub keeps failing, check https://www.githubstatus.com.',
            retries: err instanceof api_error/* GitHubApiError */.O ? err.attempts - 1 : undefined
        });
    }
    if (env === undefined) {
        return done({
            verdict: 'fail',
            severity: 'high',
            message: `approval environment "${name}" does not exist: GitHub would create it without protection on first use and deploy without asking anyone`,
            evidence: `GET /repos/${gh.repo.owner}/${gh.repo.repo}/environments/${name} → 404`,
            adjustment: `Create the environment "${name}" (${settingsUrl}) with required reviewers or a wait timer, or set approval.environment to one that has them.`
        });
    }
    const rules = env.protection_rules ?? [];
    const reviewers = rules
        .filter(r => r.type === 'required_reviewers')
        .flatMap(r => r.reviewers ?? [])
        .map(reviewerName);
    const waitMinutes = Math.max(0, ...rules.filter(r => r.type === 'wait_timer').map(r => r.wait_timer ?? 0));
    const preventSelfReview = rules.some(r => r.type === 'required_reviewers' && r.prevent_self_review);
    const data = {
        environment: name,
        url: env.html_url,
        reviewers,
        waitTimerMinutes: waitMinutes,
        preventSelfReview,
        rules: rules.map(r => r.type)
    };
    const evidence = rules.length
        ? rules
            .map(r => r.type === 'required_reviewers'
            ? `required_reviewers: ${(r.reviewers ?? []).map(reviewerName).join(', ') || '(none)'}`
            : r.type === 'wait_timer'
                ? `wait_timer: ${r.wait_timer ?? 0} min`
                : r.type)
            .join('\n')
        : 'no protection rules';
    if (reviewers.length > 0) {
        const wait = waitMinutes > 0 ? `, after a ${waitMinutes}-minute wait timer` : '';
        return done({
            verdict: 'pass',
            severity: 'info',
            message: `approval environment "${name}" requires review by ${reviewers.join(', ')}${wait}`,
            evidence,
            data
        });
    }
    if (waitMinutes > 0) {
        return done({
            verdict: 'pass',
            severity: 'info',
            message: `approval environment "${name}" holds the job for a ${waitMinutes}-minute wait timer (no required reviewers)`,
            evidence,
            data
        });
    }
    return done({
        verdict: 'fail',
        severity: 'high',
        message: `approval environment "${name}" has no required reviewers or wait timer: GitHub runs the job without asking anyone`,
        evidence,
        adjustment: `Add required reviewers (or a wait timer) to "${name}" in ${settingsUrl}. ` +
            'On private repositories environment protection rules need a paid plan; without them use a public repository or another approval mechanism.',
        data
    });
}

;// CONCATENATED MODULE: ./src/report/plan-render.ts
/**
 * The plan as the approver reads it (Markdown): what will be applied in which
 * order, how each phase is validated and rolled back, the rollback levels,
 * the risks the reality check and the tracers found, the deployment's current
 * state, the budgets and the staged rollout with its thresholds. Pure: the
 * plan gate gathers a `PlanView`, this module only formats it.
 */

/** The Markdown grows with the plan; beyond this many resources per phase the rest is counted. */
const MAX_RESOURCES_PER_PHASE = 25;
/** Risks listed in full; the rest are counted (the reports hold them all). */
const MAX_RISKS = 40;
/** `10m`, `1h05m`, `30s`, `1d2h`: a budget as people write it. */
function formatBudget(ms) {
    if (ms <= 0)
        return '0s';
    if (ms < 1000)
        return `${Math.round(ms)}ms`;
    const s = Math.round(ms / 1000);
    const d = Math.floor(s / 86_400);
    const h = Math.floor((s % 86_400) / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = s % 60;
    if (d > 0)
        return `${d}d${h ? `${h}h` : ''}`;
    if (h > 0)
        return `${h}h${m ? String(m).padStart(2, '0') + 'm' : ''}`;
    if (m > 0)
        return `${m}m${sec ? String(sec).padStart(2, '0') + 's' : ''}`;
    return `${sec}s`;
}
/** Inline code that survives backticks and line breaks in the text. */
function code(text) {
    const flat = text.replace(/\r?\n/g, ' ');
    const runs = flat.match(/`+/g) ?? [];
    const fence = '`'.repeat(Math.max(0, ...runs.map(r => r.length)) + 1);
    const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
    return `${fence}${pad}${flat}${pad}${fence}`;
}
// Plan text goes into tables of a page many people read: it must not open
// HTML, break the table or ping anyone (`@team`).
function plan_render_text(s) {
    return s
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/(^|[\s(])@(\w)/g, '$1@\u200b$2');
}
function cellText(s) {
    return plan_render_text(s).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}
// Inside a table cell a code span must not carry a bare pipe either.
function cellCode(s) {
    return code(s).replace(/\|/g, '\\|');
}
function argv(run) {
    return run.map(a => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
/** One line saying what a validation check proves. */
function describeCheck(spec) {
    if ('ready' in spec) {
        const r = spec.ready;
        return `ready: ${r.kind}/${r.name}${r.timeout ? ` within ${r.timeout}` : ''}`;
    }
    if ('http' in spec) {
        const h = spec.http;
        const where = h.url ??
            `service ${h.service ?? '?'}${h.port !== undefined ? `:${h.port}` : ''}${h.path ?? '/'}`;
        const expect = h.expect?.cel
            ? ` (${h.expect.cel})`
            : ` → ${h.expect?.status ?? 200}${h.expect?.body ? ` with body ~ ${h.expect.body}` : ''}`;
        return `http: ${h.method ?? 'GET'} ${where}${expect}`;
    }
    if ('command' in spec) {
        const c = spec.command;
        const expect = c.expect?.output ? ` printing ${c.expect.output}` : '';
        return `command: ${argv(c.run)} exits ${c.expect?.exitCode ?? 0}${expect}`;
    }
    if ('env' in spec)
        return `env: pods ${spec.env.selector} have ${spec.env.require.join(', ')}`;
    if ('metric' in spec) {
        const m = spec.metric;
        return `metric: ${m.name ? `${m.name} ` : ''}${m.query} ${m.expect}${m.window ? ` over ${m.window}` : ''}`;
    }
    if ('pullRequest' in spec) {
        const p = spec.pullRequest;
        const parts = [`${p.approvals ?? 1} approval${(p.approvals ?? 1) === 1 ? '' : 's'}`];
        if (p.blockingLabels?.length)
            parts.push(`no label ${p.blockingLabels.join(', ')}`);
        if (p.requiredChecks?.length)
            parts.push(`green ${p.requiredChecks.join(', ')}`);
        return `pull request: ${parts.join('; ')}`;
    }
    if ('tools' in spec)
        return `tools: ${Object.entries(spec.tools)
            .map(([t, v]) => `${t} ${v}`)
            .join(', ')}`;
    if ('migration' in spec)
        return `migration: up ${argv(spec.migration.up)}, down ${argv(spec.migration.down)} (both directions proven)`;
    if ('argocd' in spec) {
        const a = spec.argocd;
        return `argocd: Application ${a.application} ${a.sync ?? 'Synced'}/${a.health ?? 'Healthy'}`;
    }
    if ('alertRules' in spec)
        return `alert rules: ${spec.alertRules.names.join(', ')} loaded`;
    return 'check';
}
/** One line saying what a phase's rollback action does. */
function describeRollback(a) {
    if ('undo' in a)
        return 'undo';
    if ('helm' in a)
        return 'helm rollback to the revision before';
    return `command: ${argv(a.command.run)}`;
}
const plan_render_SEVERITY_RANK = { high: 0, medium: 1, low: 2, info: 3 };
const plan_render_VERDICT_RANK = {
    fail: 0,
    error: 1,
    cancelled: 2,
    inconclusive: 3,
    warn: 4
};
const MARK = {
    pass: '✅',
    warn: '⚠️',
    fail: '❌',
    skip: '⏭️',
    inconclusive: '⏸️',
    cancelled: '🛑',
    error: '💥'
};
/** Risks in the order an approver should read them: failures, then by severity. */
function sortRisks(risks) {
    return [...risks].sort((a, b) => (plan_render_VERDICT_RANK[a.verdict] ?? 9) - (plan_render_VERDICT_RANK[b.verdict] ?? 9) ||
        plan_render_SEVERITY_RANK[a.severity] - plan_render_SEVERITY_RANK[b.severity] ||
        a.gate.localeCompare(b.gate) ||
        a.kind.localeCompare(b.kind) ||
        a.target.localeCompare(b.target));
}
function approvalLine(a) {
    const from = {
        input: 'set by the workflow',
        plan: 'approval.environment',
        default: 'the default'
    }[a.source];
    const env = `${code(a.environment)} (${from})`;
    const guard = [];
    if (a.reviewers?.length)
        guard.push(`required reviewers ${a.reviewers.map(r => code(r)).join(', ')}`);
    if (a.waitTimerMinutes)
        guard.push(`a ${a.waitTimerMinutes}-minute wait timer`);
    switch (a.verdict) {
        case 'pass':
            return `**Approval:** environment ${env}: ${guard.join(' and ')}. The job after this one waits for it.`;
        case 'skip':
            return `**Approval:** environment ${env}; not read here (no GitHub context). In a workflow the job after the plan runs in it.`;
        case 'error':
            return `**Approval:** environment ${env} could not be read: see the approval check.`;
        default:
            return `**Approval:** ❌ environment ${env} does not hold the job for anyone: see the approval check.`;
    }
}
function when(iso) {
    if (!iso)
        return '';
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
/** DESIGN's deployment-state line: which state the target reached, since when, and the last known-good. */
function stateLine(s, plan, namespace) {
    if (s.status === 'unknown')
        return `**Deployment state:** unknown: ${plan_render_text(s.reason ?? 'the state record could not be read')}.`;
    if (!s.state)
        return `**Deployment state:** none yet: no deployment of ${code(plan)} is recorded in ${code(namespace)}; this will be the first.`;
    const since = s.since ? ` since ${when(s.since)}` : '';
    const run = s.runId ? ` (run ${code(s.runId)})` : '';
    const good = s.lastKnownGood
        ? `; last known-good: run ${code(s.lastKnownGood.runId)} at ${when(s.lastKnownGood.at)}`
        : '; no known-good version recorded yet';
    return `**Deployment state:** ${code(s.state)}${since}${run}${good}.`;
}
function evidenceLine(e) {
    if (e.status === 'not-needed')
        return `${e.gate}: the plan has no tracers`;
    if (e.status === 'missing')
        return `${e.gate}: ⚠️ no report found, so its risks are unknown`;
    const run = e.runId ? ` in run ${code(e.runId)}` : '';
    const at = e.finishedAt ? ` at ${when(e.finishedAt)}` : '';
    return `${e.gate}: ${MARK[e.verdict ?? 'pass']} ${e.verdict} (${e.checks ?? 0} checks${run}${at})`;
}
function riskSection(view) {
    const out = ['#### Risks found by the reality check and the tracers', ''];
    out.push(`From ${view.evidence.map(evidenceLine).join(' · ')}.`, '');
    const risks = sortRisks(view.risks);
    if (risks.length === 0) {
        const anyMissing = view.evidence.some(e => e.status === 'missing');
        out.push(anyMissing ? 'No risks in the reports that were found.' : 'None: every check passed.', '');
    }
    else {
        out.push('| | Severity | Gate | Check | Finding | What to do |', '| --- | --- | --- | --- | --- | --- |');
        for (const r of risks.slice(0, MAX_RISKS)) {
            const gate = r.unit ? `${r.gate} ${r.unit}` : r.gate;
            out.push(`| ${MARK[r.verdict]} | ${r.severity} | ${cellText(gate)} | ${cellText(r.kind)} ${cellCode(r.target)} | ${cellText(r.message)} | ${cellText(r.adjustment ?? '')} |`);
        }
        if (risks.length > MAX_RISKS)
            out.push(`| | | | | …and ${risks.length - MAX_RISKS} more in the reports | |`);
        out.push('');
    }
    if (view.unproven.length > 0) {
        out.push(`<details><summary>${view.unproven.length} check${view.unproven.length === 1 ? '' : 's'} not proven before deployment (skipped by the reality check)</summary>`, '');
        for (const r of view.unproven.slice(0, MAX_RISKS))
            out.push(`- ${plan_render_text(r.kind)} ${code(r.target)}: ${plan_render_text(r.message)}`);
        if (view.unproven.length > MAX_RISKS)
            out.push(`- …and ${view.unproven.length - MAX_RISKS} more`);
        out.push('', '</details>', '');
    }
    return out;
}
function resourceCell(p) {
    if (p.helm) {
        const h = p.helm;
        return `Helm release ${cellCode(h.release)} ← chart ${cellCode(h.chart)}${h.version ? ` ${cellCode(h.version)}` : ''}${h.namespace ? ` in ${cellCode(h.namespace)}` : ''}`;
    }
    if (p.resourcesError)
        return `⚠️ ${cellText(p.resourcesError)}`;
    if (p.resources.length === 0)
        return '—';
    const shown = p.resources.slice(0, MAX_RESOURCES_PER_PHASE).map(r => {
        const ns = r.namespace ? ` (ns ${r.namespace})` : '';
        return cellCode(`${r.kind}/${r.name}${ns}`);
    });
    if (p.resources.length > MAX_RESOURCES_PER_PHASE)
        shown.push(`…and ${p.resources.length - MAX_RESOURCES_PER_PHASE} more`);
    return shown.join('<br>');
}
function phaseSection(view) {
    const out = ['#### Phases, in order', ''];
    if (view.phases.length === 0)
        return [...out, 'The plan has no phases.', ''];
    out.push('| # | Phase | Applies | Validation | Rollback | Budget |', '| --- | --- | --- | --- | --- | --- |');
    view.phases.forEach((p, i) => {
        const files = p.files.length
            ? `<br><sub>from ${p.files.map(f => cellCode(f)).join(', ')}</sub>`
            : '';
        const checks = p.checks.length
            ? p.checks.map(c => cellText(describeCheck(c))).join('<br>')
            : 'every applied object Current (kstatus)';
        const rollback = (p.rollback.length ? p.rollback : [{ undo: true }]).map(a => cellText(describeRollback(a)));
        if (p.migration && !p.migration.reversible)
            rollback.push('⚠️ the migration has no down step: code rollback is refused after it');
        const budget = `${formatBudget(p.budgetMs)}${p.timeout ? `<br><sub>wait ${p.timeout}</sub>` : ''}<br><sub>rollback ${formatBudget(p.rollbackBudgetMs)}</sub>`;
        out.push(`| ${i + 1} | **${cellText(p.name)}** | ${resourceCell(p)}${files} | ${checks} | ${rollback.join('<br>')} | ${budget} |`);
    });
    out.push('', 'Each phase waits until what it applied is Current (kstatus), runs its checks, and on a failure runs its rollback within the rollback budget and stops the deployment. ' +
        '_undo_ deletes what the phase created (PersistentVolumeClaims and keep-annotated objects stay) and restores what it changed to the recorded state.', '');
    return out;
}
function validationSection(view) {
    const out = ['#### Validation after the last phase', ''];
    const items = view.validation.checks.map(c => `- ${plan_render_text(describeCheck(c))}`);
    if (view.validation.rollbackTest)
        items.push('- rollback test: the undo of every phase sent to the server as a dry run (what it would delete, restore and keep)');
    out.push(...(items.length ? items : ['- every phase’s objects stay Current; no further checks']), '');
    return out;
}
function levelSection(view) {
    if (view.levels.length === 0)
        return [];
    const out = [
        '#### Rollback levels',
        '',
        '| Level | What it does | Budget |',
        '| --- | --- | --- |'
    ];
    for (const l of view.levels)
        out.push(`| ${l.level} | ${cellText(l.what)} | ${formatBudget(l.budgetMs)} |`);
    out.push('');
    return out;
}
function rolloutSection(r) {
    const out = ['#### Staged rollout', ''];
    const mode = r.route
        ? `weights on HTTPRoute ${code(r.route)}`
        : `replica ratio of ${r.replicas ?? '?'} replicas`;
    out.push(`Stable ${code(r.target)}, canary ${code(r.canary)}, ${mode}; metrics judged every ${r.interval ?? '30s'}; budget ${formatBudget(r.budgetMs)}.`, '');
    out.push('| Stage | Canary weight | Hold |', '| --- | --- | --- |');
    for (const s of r.stages)
        out.push(`| ${cellText(s.name)} | ${s.weight} % | ${s.hold ?? '0s'} |`);
    out.push('');
    if (r.triggers.length > 0) {
        out.push('Roll back at once when any of these fires:', '');
        for (const t of r.triggers) {
            const n = t.samples ? ` in ${t.samples.n} of ${t.samples.of} samples` : '';
            out.push(`- ${t.metric ? `${code(t.metric)} ` : ''}${plan_render_text(t.text)}${n}${t.cel ? ` (${code(t.cel)})` : ''}`);
        }
        out.push('');
    }
    out.push(`A trigger moves the canary to 0 % and verifies it${r.onTrigger !== 'none' ? `, then runs the ${code(r.onTrigger)} rollback level` : ''}. No canary traffic holds the stage (inconclusive) instead of promoting it.`, '');
    if (r.metrics.length > 0) {
        out.push('<details><summary>Metric queries</summary>', '', '| Metric | Query |', '| --- | --- |');
        for (const m of r.metrics)
            out.push(`| ${cellText(m.name)} | ${cellCode(m.query)} |`);
        out.push('', '</details>', '');
    }
    return out;
}
const SOURCE_WORDS = {
    plan: 'budgets',
    phase: 'the phase',
    level: 'the level',
    size: 'size default',
    derived: 'derived',
    fixed: 'default'
};
function budgetSection(view) {
    const out = ['#### Budgets', '', '| Gate | Budget | From |', '| --- | --- | --- |'];
    for (const b of view.budgets) {
        const name = b.name ? `${b.gate} ${b.name}` : b.gate;
        out.push(`| ${cellText(name)} | ${formatBudget(b.ms)} | ${SOURCE_WORDS[b.source]} |`);
    }
    out.push('');
    return out;
}
/** A Mermaid flowchart of the way the deployment goes: approval, phases, validation, rollout stages. */
function planFlowchart(view) {
    const label = (s) => s.replace(/["<>]/g, "'");
    const nodes = [{ id: 'a', shape: '{{"approval"}}' }];
    view.phases.forEach((p, i) => nodes.push({ id: `p${i}`, shape: `["${i + 1}. ${label(p.name)}"]` }));
    nodes.push({ id: 'v', shape: '["validate"]' });
    for (const [i, s] of (view.rollout?.stages ?? []).entries())
        nodes.push({ id: `s${i}`, shape: `(["${label(s.name)} ${s.weight}%"])` });
    const lines = ['```mermaid', 'flowchart LR', `  ${nodes[0].id}${nodes[0].shape}`];
    for (let i = 1; i < nodes.length; i++)
        lines.push(`  ${nodes[i - 1].id} --> ${nodes[i].id}${nodes[i].shape}`);
    lines.push('```');
    return lines.join('\n');
}
/** The approver's Markdown for a plan. */
function renderPlan(view) {
    const target = `${view.target.context ? `${view.target.context}/` : ''}${view.target.namespace}`;
    const head = [`### The plan: ${plan_render_text(view.plan)} → ${plan_render_text(target)}`, ''];
    const meta = [`Plan ${code(view.planFile)}`];
    if (view.target.platform && view.target.platform !== 'kubernetes')
        meta.push(`platform ${view.target.platform}`);
    if (view.owners.length)
        meta.push(`owners ${view.owners.map(o => code(o)).join(', ')}`);
    if (view.ticket)
        meta.push(`ticket ${code(view.ticket)}`);
    head.push(meta.join(' · '), '');
    head.push(approvalLine(view.approval), '');
    head.push(stateLine(view.state, view.plan, view.target.namespace), '');
    const rollout = view.rollout
        ? `, then the rollout within ${formatBudget(view.rollout.budgetMs)}`
        : '';
    head.push(`**Estimated time:** within ${formatBudget(view.estimateMs)} to \`active\` (the sum of the budgets on the way; a rollback has its own)${rollout}.`, '');
    const body = [
        planFlowchart(view),
        '',
        ...riskSection(view),
        ...phaseSection(view),
        ...validationSection(view),
        ...levelSection(view),
        ...(view.rollout ? rolloutSection(view.rollout) : []),
        ...budgetSection(view)
    ];
    return (0,secrets/* redact */.E$)([...head, ...body]
        .join('\n')
        .replace(/\n{3,}/g, '\n\n')
        .trimEnd() + '\n');
}

// EXTERNAL MODULE: ./src/plan/defaults.ts
var defaults = __webpack_require__(7621);
// EXTERNAL MODULE: ./src/core/duration.ts
var duration = __webpack_require__(8571);
// EXTERNAL MODULE: ./src/metrics/judge.ts
var metrics_judge = __webpack_require__(6782);
;// CONCATENATED MODULE: ./src/metrics/resource-use.ts
/**
 * Container resource use against limits: the limits come from the pods'
 * specs, the use from cAdvisor's series in Prometheus
 * (`container_memory_working_set_bytes`, `rate(container_cpu_usage_seconds_total)`),
 * matched per pod and container. The soak gate warns from it; the rollout
 * gate judges its canary's share of limits with it.
 */



/** Every resource compared against limits. */
const RESOURCES = ['cpu', 'memory'];
/** The cAdvisor series each resource's use comes from. */
const CADVISOR_SERIES = {
    cpu: 'container_cpu_usage_seconds_total',
    memory: 'container_memory_working_set_bytes'
};
const rec = (v) => v && typeof v === 'object' && !Array.isArray(v) ? v : {};
const arr = (v) => (Array.isArray(v) ? v.map(rec) : []);
/** Limits of every container, `pod/container` → {cpu, memory} in units (cores, bytes). */
function containerLimits(pods) {
    const out = new Map();
    for (const p of pods)
        for (const c of arr(rec(p.spec).containers)) {
            const limits = rec(rec(c.resources).limits);
            const cpu = parseQuantity(limits.cpu);
            const memory = parseQuantity(limits.memory);
            if (cpu !== undefined || memory !== undefined)
                out.set(`${p.metadata.name}/${String(c.name)}`, {
                    cpu: cpu !== undefined ? quantityToNumber(cpu) : undefined,
                    memory: memory !== undefined ? quantityToNumber(memory) : undefined
                });
        }
    return out;
}
/** Containers of these pods that set no limit for the resource, as `pod/container`. */
function unlimitedContainers(pods, resource) {
    const limits = containerLimits(pods);
    const out = [];
    for (const p of pods)
        for (const c of arr(rec(p.spec).containers)) {
            const k = `${p.metadata.name}/${String(c.name)}`;
            if (limits.get(k)?.[resource] === undefined)
                out.push(k);
        }
    return out.sort();
}
/** Regex-safe alternation of pod names for a PromQL `=~` matcher. */
function podPattern(pods) {
    return pods.map(p => p.metadata.name.replace(/[.\\+*?^$()[\]{}|]/g, m => `\\\\${m}`)).join('|');
}
/** The PromQL queries for container memory and CPU use of these pods. */
function resourceQueries(namespace, pods, cpuRate = { fn: 'rate', window: '5m' }) {
    const sel = `namespace="${namespace}",pod=~"${podPattern(pods)}",container!="",container!="POD"`;
    return {
        memory: `max by (pod, container) (container_memory_working_set_bytes{${sel}})`,
        cpu: `sum by (pod, container) (${cpuRate.fn}(container_cpu_usage_seconds_total{${sel}}[${cpuRate.window}]))`
    };
}
/**
 * Reads these pods' use of each resource from Prometheus and matches it to
 * their limits. `metrics` is called only when there is something to compare
 * (a UsageError from it means no Prometheus is configured).
 */
async function readResourceUse(metrics, namespace, pods, opts = {}) {
    if (pods.length === 0)
        return { kind: 'no-pods' };
    const limits = containerLimits(pods);
    if (limits.size === 0)
        return { kind: 'no-limits' };
    let m;
    try {
        m = metrics();
    }
    catch (err) {
        if (err instanceof core_errors/* UsageError */.eb)
            return { kind: 'no-prometheus' };
        throw err;
    }
    const q = resourceQueries(namespace, pods, opts.cpuRate);
    const wanted = opts.resources ?? RESOURCES;
    let answers;
    try {
        answers = await Promise.all(wanted.map(async (r) => [r, await m.query(q[r], { signal: opts.signal })]));
    }
    catch (err) {
        if (opts.signal?.aborted)
            throw err;
        return { kind: 'unavailable', message: (0,core_errors/* errorMessage */.gJ)(err) };
    }
    if (answers.every(([, samples]) => samples.length === 0))
        return { kind: 'no-series', url: m.url };
    const uses = [];
    for (const [resource, samples] of answers)
        for (const s of samples) {
            if (!Number.isFinite(s.value))
                continue;
            const pod = s.labels.pod ?? '';
            const container = s.labels.container ?? '';
            const limit = limits.get(`${pod}/${container}`)?.[resource] || undefined;
            uses.push({
                pod,
                container,
                resource,
                value: s.value,
                limit,
                share: limit ? s.value / limit : undefined
            });
        }
    return { kind: 'ok', uses, url: m.url };
}
/** A quantity as the pod spec would write it: `900m`, `90Mi`. */
function formatResource(n, resource) {
    return formatQuantity(BigInt(Math.round(n * 1e9)), resource);
}
/** A use against its limit in words: `0.9 of 1 core`, `90Mi of 100Mi`. */
function describeUse(value, limit, resource) {
    if (resource === 'memory')
        return `${formatResource(value, resource)} of ${formatResource(limit, resource)}`;
    return `${(0,metrics_judge/* formatNumber */.ZV)(value)} of ${(0,metrics_judge/* formatNumber */.ZV)(limit)} core${limit === 1 ? '' : 's'}`;
}
/** A share as a whole percentage: `90 %`. */
function formatShare(share) {
    return `${Math.round(share * 100)} %`;
}

// EXTERNAL MODULE: ./src/metrics/prometheus.ts
var prometheus = __webpack_require__(9881);
// EXTERNAL MODULE: ./src/notify/events.ts
var events = __webpack_require__(5368);
;// CONCATENATED MODULE: ./src/rollout/stages.ts
/**
 * The stages of a rollout: the plan's, or the default shape (canary 5 %,
 * partial 25 %, majority 75 %, full 100 %), preceded by an `infra` stage at
 * weight 0 when the plan has infra steps (migrations, config, flags), whose
 * trigger is a failed step.
 */




/** Name of the infra stage. */
const INFRA_STAGE = 'infra';
/** Every stage of the rollout, in order. */
function rolloutStages(rollout) {
    const own = rollout.stages?.length
        ? rollout.stages.map((s, index) => ({
            name: s.name,
            weight: s.weight,
            holdMs: (0,duration/* durationMs */.pc)(s.hold, 0),
            index
        }))
        : defaults/* DEFAULT_STAGES */.m.map(s => ({ name: s.name, weight: s.weight, holdMs: (0,duration/* durationMs */.pc)(s.hold, 0) }));
    return rollout.infra?.length
        ? [{ name: INFRA_STAGE, weight: 0, holdMs: 0, infra: true }, ...own]
        : own;
}
/** The stages `--stage` selects: one by name, or all in order. */
function selectStages(all, name) {
    if (name === undefined)
        return all;
    const hit = all.filter(s => s.name === name);
    if (hit.length === 0)
        throw new core_errors/* UsageError */.eb(`no rollout stage named "${name}"; stages: ${all.map(s => s.name).join(', ')}`);
    return hit;
}

;// CONCATENATED MODULE: ./src/rollout/workloads.ts
/**
 * Workload helpers the rollout and the rollback levels share: references
 * from the plan's `{kind, name}`, what a pod template mounts (ConfigMaps and
 * Secrets, and how), the workloads that consume a ConfigMap or Secret, and a
 * restart the way `kubectl rollout restart` does it (a pod-template
 * annotation), since a value read through env or subPath only reaches a pod
 * that starts again.
 */
/** The annotation a restart sets on the pod template (kubectl uses kubectl.kubernetes.io/restartedAt). */
const RESTARTED_AT = 'phase-gate.dev/restartedAt';
const APPS_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);
/** The ObjectRef of a plan's workload reference in a namespace. */
function workloadRef(w, namespace) {
    const apiVersion = w.apiVersion ?? (APPS_KINDS.has(w.kind) ? 'apps/v1' : undefined);
    if (!apiVersion)
        throw new Error(`${w.kind} ${w.name}: give apiVersion for a kind other than ${[...APPS_KINDS].join(', ')}`);
    return { apiVersion, kind: w.kind, name: w.name, namespace };
}
/** The canary of a rollout: `canary:`, else `<target>-canary` of the same kind. */
function canaryWorkload(r) {
    return r.canary ?? { ...r.target, name: `${r.target.name}-canary` };
}
/** The pod template of a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job). */
function podTemplateOf(obj) {
    const t = obj?.spec?.template;
    return t && typeof t === 'object' ? t : undefined;
}
/** The images of a pod template's containers, in order. */
function imagesOf(template) {
    const spec = template?.spec;
    return (spec?.containers ?? []).map(c => c.image ?? '');
}
/** The ConfigMaps and Secrets a pod template references, and how. */
function templateReferences(template) {
    const spec = (template?.spec ?? {});
    const out = [];
    const add = (kind, name, use) => {
        if (name && !out.some(r => r.kind === kind && r.name === name && r.use === use))
            out.push({ kind, name, use });
    };
    const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
    for (const c of containers) {
        for (const e of c.env ?? []) {
            add('ConfigMap', e.valueFrom?.configMapKeyRef?.name, 'env');
            add('Secret', e.valueFrom?.secretKeyRef?.name, 'env');
        }
        for (const e of c.envFrom ?? []) {
            add('ConfigMap', e.configMapRef?.name, 'env');
            add('Secret', e.secretRef?.name, 'env');
        }
    }
    for (const v of spec.volumes ?? []) {
        // A volume mounted with subPath never sees updates; a whole-volume mount does (after the kubelet's sync).
        const sub = containers.some(c => (c.volumeMounts ?? []).some(m => m.name === v.name && (m.subPath || m.subPathExpr)));
        const use = sub ? 'subPath' : 'volume';
        add('ConfigMap', v.configMap?.name, use);
        add('Secret', v.secret?.secretName, use);
        for (const s of v.projected?.sources ?? []) {
            add('ConfigMap', s.configMap?.name, use);
            add('Secret', s.secret?.name, use);
        }
    }
    return out;
}
const workloads_WORKLOAD_KINDS = [
    ['apps/v1', 'Deployment'],
    ['apps/v1', 'StatefulSet'],
    ['apps/v1', 'DaemonSet']
];
/** Workloads in the namespace whose pods reference any of these ConfigMaps or Secrets. */
async function consumersOf(cluster, namespace, wanted) {
    const lists = await Promise.all(workloads_WORKLOAD_KINDS.map(([apiVersion, kind]) => cluster.list(apiVersion, kind, { namespace })));
    const out = [];
    for (const obj of lists.flatMap(l => l.items)) {
        const uses = templateReferences(podTemplateOf(obj)).filter(r => r.kind === 'ConfigMap'
            ? (wanted.configMaps ?? []).includes(r.name)
            : (wanted.secrets ?? []).includes(r.name));
        if (uses.length)
            out.push({
                ref: { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace },
                uses
            });
    }
    return out;
}
/** Restarts workloads by stamping their pod template (a new rollout of the same spec). */
async function restartWorkloads(cluster, refs, at) {
    await Promise.all(refs.map(ref => cluster.mergePatch(ref, {
        spec: { template: { metadata: { annotations: { [RESTARTED_AT]: at.toISOString() } } } }
    })));
}
/** `Kind name` of a workload ref. */
function describeWorkload(ref) {
    return `${ref.kind} ${ref.name}`;
}

// EXTERNAL MODULE: ./src/checks/validation.ts
var validation = __webpack_require__(1646);
// EXTERNAL MODULE: ./src/checks/builtin.ts + 10 modules
var builtin = __webpack_require__(3217);
// EXTERNAL MODULE: ./src/kube/pod-failures.ts
var pod_failures = __webpack_require__(4312);
// EXTERNAL MODULE: ./src/notify/send.ts + 2 modules
var send = __webpack_require__(9716);
;// CONCATENATED MODULE: ./src/gates/soak.ts
/**
 * The soak gate: after a release is `active`, sample it over a window —
 * restart counts (must not grow), readiness (must hold in every sample),
 * resource use against limits (a warning above 80 %, from Prometheus when
 * it has cAdvisor's series) and the plan's `soak.thresholds` (breached only
 * when N of the last M samples breach, `soak.sustained`). Samples accumulate
 * in the release's run Secret, so a window longer than a job (the usual
 * "healthy for 24 h") is served by a scheduled workflow running this gate
 * repeatedly, each run sampling for `soak.runFor`. A window with enough
 * samples and no violation makes the release `stable` (and the last
 * known-good version); a violation makes it `degraded`, tells the webhooks
 * and, with `soak.onDegraded`, runs that rollback level through the
 * rollback gate. A stable release is still sampled by later runs, and a
 * violation then makes it degraded too.
 */















/** Interval between samples when the plan gives none. */
const DEFAULT_SOAK_INTERVAL_MS = 60_000;
/** Use of a limit above which a container is a warning. */
const RESOURCE_WARN_RATIO = 0.8;
/** Samples kept in the record; older ones are counted, not kept. */
const SAMPLES_KEPT = 500;
const soak_WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const SOAK_KEY = 'soak.json';
/** Soak settings of a plan: window 24h, interval 1m, minSamples min(10, window/interval), sustained 1 of 1. */
function soakSettings(plan) {
    const s = plan.soak ?? {};
    const windowMs = (0,duration/* durationMs */.pc)(s.window, budgets/* DEFAULT_SOAK_WINDOW_MS */.X6);
    const intervalMs = Math.max(1, (0,duration/* durationMs */.pc)(s.interval, DEFAULT_SOAK_INTERVAL_MS));
    return {
        windowMs,
        intervalMs,
        minSamples: s.minSamples ?? Math.max(1, Math.min(10, Math.floor(windowMs / intervalMs))),
        sustained: s.sustained ?? { samples: 1, of: 1 },
        runForMs: s.runFor !== undefined ? (0,duration/* durationMs */.pc)(s.runFor, 0) : undefined,
        onDegraded: s.onDegraded && s.onDegraded !== 'none' ? s.onDegraded : undefined
    };
}
/** True when a sample holds everything it should (no read error, every threshold judged). */
function completeSample(s) {
    return (!s.error &&
        Object.values(s.thresholds).every(t => t.verdict !== 'error' && t.verdict !== 'cancelled' && t.verdict !== 'inconclusive'));
}
/** Containers whose restart count grew, `pod/container before → now`; the first sample is the baseline. */
function restartGrowth(prev, now) {
    if (!prev)
        return [];
    const out = [];
    for (const [k, n] of Object.entries(now)) {
        const before = prev[k];
        // A container not seen before (a new pod) counts from zero.
        if (n > (before ?? 0))
            out.push(`${k} ${before ?? 0} → ${n}`);
    }
    return out.sort();
}
/**
 * The violations the samples show: readiness and restarts in the newest
 * sample (they must hold in every sample), thresholds when N of their last
 * M judged samples breached.
 */
function judgeSamples(samples, sustained) {
    const last = samples.at(-1);
    if (!last)
        return [];
    const out = [];
    if (!last.error && last.notReady.length)
        out.push({
            signal: 'readiness',
            message: `not ready: ${last.notReady.join('; ')}`,
            firstBadAt: last.at,
            breaching: 1,
            of: 1
        });
    if (!last.error && last.restartGrowth.length)
        out.push({
            signal: 'restarts',
            message: `restarts grew: ${last.restartGrowth.join(', ')}`,
            firstBadAt: last.at,
            breaching: 1,
            of: 1
        });
    const ids = new Set(samples.flatMap(s => Object.keys(s.thresholds)));
    for (const id of ids) {
        const judged = samples.filter(s => {
            const v = s.thresholds[id]?.verdict;
            return v !== undefined && (v === 'fail' || (0,model/* isPassing */.WG)(v));
        });
        const window = judged.slice(-sustained.of);
        const bad = window.filter(s => s.thresholds[id].verdict === 'fail');
        if (window.at(-1) === last && bad.length >= sustained.samples && bad.length > 0)
            out.push({
                signal: id,
                message: `${id} breached in ${bad.length} of the last ${window.length} samples: ${bad.at(-1)?.thresholds[id].message ?? ''}`.trim(),
                firstBadAt: bad[0].at,
                breaching: bad.length,
                of: window.length
            });
    }
    return out;
}
/** What the soak comes to after a sample. */
function decideSoak(rec, violations, s, now) {
    if (violations.length)
        return { status: 'degraded', why: violations.map(v => v.message).join('; ') };
    if (rec.status === 'stable')
        return { status: 'stable', why: 'still no violation' };
    const complete = rec.samples.filter(completeSample).length + rec.dropped;
    const elapsed = now - Date.parse(rec.startedAt);
    if (elapsed < s.windowMs)
        return {
            status: 'soaking',
            why: `${(0,duration/* formatDuration */.a3)(elapsed)} of the ${(0,duration/* formatDuration */.a3)(s.windowMs)} window, ${complete} sample${complete === 1 ? '' : 's'}, no violation`
        };
    if (complete < s.minSamples)
        return {
            status: 'soaking',
            why: `the window is over but only ${complete} of the ${s.minSamples} samples needed are complete`
        };
    return {
        status: 'stable',
        why: `${complete} samples over ${(0,duration/* formatDuration */.a3)(elapsed)} (window ${(0,duration/* formatDuration */.a3)(s.windowMs)}) with no violation`
    };
}
// ------------------------------------------------------------------ sampling
const soak_rec = (v) => v && typeof v === 'object' && !Array.isArray(v) ? v : {};
const soak_arr = (v) => (Array.isArray(v) ? v.map(soak_rec) : []);
/** The workloads a release runs: what its phases applied, the rollout's target, else what carries the plan's label. */
async function releaseWorkloads(cluster, record, plan, namespace, release) {
    const refs = new Map();
    const add = (r) => void refs.set(`${r.kind}/${r.namespace ?? namespace}/${r.name}`, {
        ...r,
        namespace: r.namespace ?? namespace
    });
    const phases = await record.readPhases(release).catch(() => []);
    for (const p of phases)
        for (const o of p.objects)
            if (soak_WORKLOAD_KINDS.has(o.ref.kind))
                add(o.ref);
    if (plan.rollout?.target)
        add({
            apiVersion: plan.rollout.target.apiVersion ?? 'apps/v1',
            kind: plan.rollout.target.kind,
            name: plan.rollout.target.name,
            namespace
        });
    if (refs.size === 0)
        for (const kind of soak_WORKLOAD_KINDS) {
            const { items } = await cluster.list('apps/v1', kind, {
                namespace,
                labelSelector: `${labels/* LABEL_PLAN */.LJ}=${(0,labels/* labelValue */.w)(plan.name)}`
            });
            for (const o of items)
                add({ apiVersion: 'apps/v1', kind, name: o.metadata.name, namespace });
        }
    return [...refs.values()].sort((a, b) => `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`));
}
async function readWorkloads(cluster, refs, now) {
    const notReady = [];
    const live = await Promise.all(refs.map(async (ref) => {
        const object = await cluster.get(ref);
        if (!object) {
            notReady.push(`${(0,types/* describeRef */.Ro)(ref)} not found`);
            return { ref, pods: [] };
        }
        const st = (0,readiness/* computeStatus */.ee)(object, { now });
        if (st.status !== 'Current')
            notReady.push(`${(0,types/* describeRef */.Ro)(ref)} ${st.status}: ${st.message}`);
        const selector = (0,pod_failures/* labelSelectorOf */.P5)(object);
        const pods = selector
            ? (await cluster.list('v1', 'Pod', { namespace: ref.namespace, labelSelector: selector }))
                .items
            : [];
        return { ref, object, pods };
    }));
    return { live, notReady };
}
/** Restart counts of every container of these pods, `pod/container` → count. */
function restartCounts(pods) {
    const out = {};
    for (const p of pods)
        for (const c of soak_arr(soak_rec(p.status).containerStatuses)) {
            const n = typeof c.restartCount === 'number' ? c.restartCount : 0;
            out[`${p.metadata.name}/${String(c.name)}`] = n;
        }
    return out;
}
/** Containers above RESOURCE_WARN_RATIO of a limit, from Prometheus; a note when it cannot tell. */
async function sampleResources(metrics, namespace, pods, signal) {
    const use = await readResourceUse(metrics, namespace, pods, { signal });
    switch (use.kind) {
        case 'no-pods':
            return { warnings: [], note: 'no pods to measure' };
        case 'no-limits':
            return {
                warnings: [],
                note: 'no container sets resource limits: nothing to compare use against'
            };
        case 'no-prometheus':
            return { warnings: [], note: 'no Prometheus configured: resource use not sampled' };
        case 'unavailable':
            return { warnings: [], note: `resource use not sampled: ${use.message}` };
        case 'no-series':
            return {
                warnings: [],
                note: `no container_memory/container_cpu series for these pods in ${use.url} (cAdvisor metrics not scraped)`
            };
        case 'ok':
            return {
                warnings: use.uses
                    .filter(u => u.limit !== undefined && (u.share ?? 0) > RESOURCE_WARN_RATIO)
                    .map(u => `${u.pod}/${u.container} ${u.resource} ${formatResource(u.value, u.resource)} of ${formatResource(u.limit ?? 0, u.resource)} limit (${formatShare(u.share ?? 0)})`)
                    .sort()
            };
    }
}
function thresholdId(c) {
    return c.id;
}
async function takeSample(ctx, cluster, refs, prev, deadline) {
    const at = new Date(ctx.clock.now()).toISOString();
    const thresholdsP = (0,validation/* runValidations */.s8)(ctx.loaded.plan.soak?.thresholds ?? [], { ...ctx, deadline }, [
        'soak',
        'thresholds'
    ]);
    let live = [];
    let notReady = [];
    let error;
    try {
        ;
        ({ live, notReady } = await readWorkloads(cluster, refs, ctx.clock.now()));
    }
    catch (err) {
        error = `could not read the workloads: ${(0,core_errors/* errorMessage */.gJ)(err)}`;
    }
    const pods = live.flatMap(w => w.pods);
    const restarts = error ? undefined : restartCounts(pods);
    const resources = error
        ? { warnings: [], note: 'not sampled (cluster unreadable)' }
        : await sampleResources(() => ctx.metrics(), ctx.namespace, pods, ctx.signal);
    const thresholds = {};
    for (const c of await thresholdsP)
        thresholds[thresholdId(c)] = (0,model/* isPassing */.WG)(c.verdict)
            ? { verdict: c.verdict }
            : { verdict: c.verdict, message: c.message };
    return {
        sample: {
            at,
            notReady,
            restartGrowth: restarts ? restartGrowth(prev, restarts) : [],
            restartTotal: restarts ? Object.values(restarts).reduce((a, b) => a + b, 0) : 0,
            resourceWarnings: resources.warnings,
            resourceNote: resources.note,
            thresholds,
            error
        },
        restarts,
        live
    };
}
// ------------------------------------------------------------------ the gate
/** The release a state was entered for: the run id of the latest transition into it. */
function releaseOf(index, state) {
    return [...index.history].reverse().find(t => t.state === state)?.runId;
}
/** The images and revisions of live workloads, as the state record's last known-good keeps them (`Kind/name`). */
function versionsOf(live) {
    const images = {};
    const revisions = {};
    for (const w of live) {
        if (!w.object)
            continue;
        const k = `${w.ref.kind}/${w.ref.name}`;
        const containers = soak_arr(soak_rec(soak_rec(soak_rec(w.object.spec).template).spec).containers);
        const image = containers.map(c => c.image).find((i) => typeof i === 'string');
        if (image)
            images[k] = image;
        const rev = w.object.metadata.annotations?.['deployment.kubernetes.io/revision'] ??
            soak_rec(w.object.status).currentRevision;
        if (typeof rev === 'string' && rev)
            revisions[k] = rev;
    }
    return { images, revisions };
}
function hhmm(iso) {
    return iso.slice(11, 19);
}
/** The state's history as one line: `deploying 12:00:01 → active 12:00:09 → stable 12:05:00`. */
function historyLine(index, last = 8) {
    return index.history
        .slice(-last)
        .map(t => `${t.state} ${hhmm(t.at)}`)
        .join(' → ');
}
function countOf(n, what) {
    return `${n} ${what}${n === 1 ? '' : 's'}`;
}
const soakGate = {
    name: 'soak',
    async run(ctx) {
        const started = ctx.clock.now();
        const plan = ctx.loaded.plan;
        const s = soakSettings(plan);
        const budget = (0,budgets/* budgetMs */.OU)(plan, 'soak');
        const location = ctx.loaded.locate(['soak']);
        const checks = [];
        const notes = [];
        const details = {};
        const extra = [];
        const warnState = (err) => ctx.log.warn(`state record: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
        const done = (verdict) => [
            (0,model/* gateResult */.xp)('soak', started, checks, {
                now: ctx.clock.now(),
                budgetMs: budget,
                notes: notes.length ? notes : undefined,
                details,
                ...(verdict ? { verdict } : {})
            }),
            ...extra
        ];
        const cluster = await ctx.cluster();
        const record = new state_record/* StateRecord */.l(cluster, plan.name, ctx.namespace, plan.state?.keepRuns);
        let index = await record.readIndex();
        const state = index.state;
        const stateNote = (i) => {
            details.state = {
                current: i.state ?? null,
                since: i.stateSince,
                history: i.history.slice(-10)
            };
            if (i.state)
                notes.push(`deployment state: ${i.state} since ${i.stateSince ?? '?'} (${historyLine(i)})`);
        };
        const notify = async (kind, release, summary, detail, data) => {
            if (!plan.notify?.length || ctx.settings.dryRun)
                return [];
            const outcomes = await (0,send/* sendNotification */._Y)(plan.notify, {
                kind,
                plan: plan.name,
                target: {
                    context: ctx.settings.context ?? plan.target.context,
                    namespace: ctx.namespace
                },
                runId: release,
                at: new Date(ctx.clock.now()).toISOString(),
                summary,
                detail,
                state: kind === 'rollback-triggered' ? 'rolling-back' : kind,
                runUrl: ctx.github?.runUrl,
                data
            }, { log: ctx.log, clock: ctx.clock, signal: ctx.signal });
            notes.push(...(0,send/* describeOutcomes */.vl)(outcomes));
            (details.notifications ??= []).push(...outcomes);
            return outcomes;
        };
        // A reality check or packaging of the next release does not end the soak of the one that runs.
        const running = (0,pre_deployment/* runningState */.b7)(index);
        const mode = running === 'active'
            ? 'soak'
            : running === 'stable'
                ? 'monitor'
                : running === 'degraded'
                    ? 'degraded'
                    : undefined;
        if (!mode) {
            checks.push((0,checks_result/* checkResult */.iJ)('soak', plan.name, {
                verdict: 'skip',
                message: state
                    ? `nothing to soak: the deployment is ${state}; the soak starts once a release is active`
                    : 'nothing to soak: the state record holds no deployment yet; the soak starts once a release is active',
                location
            }));
            stateNote(index);
            return done();
        }
        const release = releaseOf(index, running) ?? ctx.runId;
        if (mode === 'degraded') {
            // A run that found the release degraded (or a job killed before its rollback) leaves it to a person, unless onDegraded says otherwise.
            const since = [...index.history].reverse().find(t => t.state === 'degraded')?.at ??
                index.stateSince ??
                '?';
            if (s.onDegraded && !ctx.settings.dryRun) {
                checks.push((0,checks_result/* checkResult */.iJ)('soak', release, {
                    verdict: 'fail',
                    message: `release ${release} is degraded since ${since}; running the ${s.onDegraded} rollback (soak.onDegraded)`,
                    location
                }));
                await rollBack(ctx, s.onDegraded, release, extra, notify, undefined);
            }
            else
                checks.push((0,checks_result/* checkResult */.iJ)('soak', release, {
                    verdict: 'fail',
                    message: `release ${release} is degraded since ${since}`,
                    adjustment: `roll back: phase-gate check ${ctx.loaded.displayFile} --gate rollback --level <${(plan.rollbackLevels ?? []).map(l => l.level).join('|') || 'flag|config|code'}>`,
                    location
                }));
            stateNote(await record.readIndex().catch(() => index));
            return done();
        }
        const refs = await releaseWorkloads(cluster, record, plan, ctx.namespace, release);
        details.workloads = refs.map(r => `${r.kind}/${r.name}`);
        const stored = await record.readRunData(release, SOAK_KEY).then(t => (t ? JSON.parse(t) : undefined), () => undefined);
        const soak = stored && stored.release === release && (mode === 'monitor' || stored.status !== 'degraded')
            ? { ...stored, status: mode === 'monitor' ? 'stable' : 'soaking' }
            : {
                release,
                startedAt: new Date(ctx.clock.now()).toISOString(),
                windowMs: s.windowMs,
                status: mode === 'monitor' ? 'stable' : 'soaking',
                samples: [],
                dropped: 0,
                runs: []
            };
        soak.windowMs = s.windowMs;
        soak.runs = [...soak.runs.filter(r => r !== ctx.runId), ctx.runId].slice(-50);
        const runFor = s.runForMs ?? (mode === 'monitor' ? 0 : budget);
        const runUntil = started + Math.min(budget, runFor);
        const budgetEnd = started + budget;
        let decision = { status: soak.status, why: '' };
        let violations = [];
        let lastLive = [];
        let taken = 0;
        const persist = async () => {
            if (ctx.settings.dryRun)
                return;
            await record.writeRunData(release, SOAK_KEY, JSON.stringify(soak)).catch(warnState);
            const last = soak.samples.at(-1);
            await record
                .updateIndex(i => {
                i.extra = {
                    ...(i.extra ?? {}),
                    soak: {
                        release,
                        status: soak.status,
                        startedAt: soak.startedAt,
                        windowMs: soak.windowMs,
                        samples: soak.samples.length + soak.dropped,
                        lastSampleAt: last?.at,
                        firstBadAt: soak.firstBadAt,
                        decidedAt: soak.decidedAt,
                        violations: violations.map(v => v.message)
                    }
                };
            })
                .catch(warnState);
        };
        for (;;) {
            if (ctx.signal.aborted)
                break;
            const sampleStarted = ctx.clock.now();
            ctx.progress({
                gate: 'soak',
                activity: `sample ${soak.samples.length + soak.dropped + 1} of release ${release}`,
                done: taken
            });
            const { sample, restarts, live } = await takeSample(ctx, cluster, refs, soak.lastRestarts, Math.min(budgetEnd, sampleStarted + s.intervalMs * 2));
            taken++;
            if (live.length)
                lastLive = live;
            soak.samples.push(sample);
            if (restarts)
                soak.lastRestarts = restarts;
            if (soak.samples.length > SAMPLES_KEPT) {
                soak.dropped += soak.samples.length - SAMPLES_KEPT;
                soak.samples = soak.samples.slice(-SAMPLES_KEPT);
            }
            violations = judgeSamples(soak.samples, s.sustained);
            decision = decideSoak(soak, violations, s, ctx.clock.now());
            if (decision.status !== soak.status) {
                soak.status = decision.status;
                soak.decidedAt = new Date(ctx.clock.now()).toISOString();
                if (decision.status === 'degraded')
                    soak.firstBadAt = violations.map(v => v.firstBadAt).sort()[0];
            }
            await persist();
            if (decision.status === 'degraded' || (mode === 'soak' && decision.status === 'stable'))
                break;
            const next = sampleStarted + s.intervalMs;
            if (next > runUntil || next > budgetEnd)
                break;
            try {
                await ctx.clock.sleep(Math.max(0, next - ctx.clock.now()), ctx.signal);
            }
            catch {
                break;
            }
        }
        // ---------------------------------------------------------------- verdicts
        const all = soak.samples;
        const total = all.length + soak.dropped;
        const since = hhmm(soak.startedAt);
        const elapsed = ctx.clock.now() - Date.parse(soak.startedAt);
        details.soak = {
            release,
            status: soak.status,
            startedAt: soak.startedAt,
            elapsedMs: elapsed,
            windowMs: s.windowMs,
            intervalMs: s.intervalMs,
            minSamples: s.minSamples,
            sustained: s.sustained,
            samples: total,
            sampledNow: taken,
            completeSamples: all.filter(completeSample).length + soak.dropped,
            firstBadAt: soak.firstBadAt,
            decidedAt: soak.decidedAt,
            violations
        };
        details.samples = all.slice(-60);
        const lostReady = all.filter(x => !x.error && x.notReady.length);
        checks.push((0,checks_result/* checkResult */.iJ)('readiness', release, {
            verdict: violations.some(v => v.signal === 'readiness') ? 'fail' : 'pass',
            message: lostReady.length
                ? `readiness lost at ${hhmm(lostReady[0].at)}: ${lostReady.at(-1)?.notReady.join('; ')}`
                : `${countOf(refs.length, 'workload')} ready in all ${total} samples since ${since}`,
            evidence: lostReady.length
                ? lostReady
                    .slice(-5)
                    .map(x => `${x.at} ${x.notReady.join('; ')}`)
                    .join('\n')
                : undefined,
            data: { workloads: refs.map(r => `${r.kind}/${r.name}`) },
            location
        }));
        const grew = all.filter(x => x.restartGrowth.length);
        checks.push((0,checks_result/* checkResult */.iJ)('restarts', release, {
            verdict: violations.some(v => v.signal === 'restarts') ? 'fail' : 'pass',
            message: grew.length
                ? `restart counts grew at ${hhmm(grew[0].at)}: ${grew.at(-1)?.restartGrowth.join(', ')}`
                : `no container restarted in ${total} samples since ${since} (${all.at(-1)?.restartTotal ?? 0} restarts before the soak)`,
            evidence: grew.length
                ? grew
                    .slice(-5)
                    .map(x => `${x.at} ${x.restartGrowth.join(', ')}`)
                    .join('\n')
                : undefined,
            location
        }));
        const hot = all.filter(x => x.resourceWarnings.length);
        const lastNote = all.at(-1)?.resourceNote;
        checks.push((0,checks_result/* checkResult */.iJ)('resources', release, {
            verdict: hot.length ? 'warn' : lastNote ? 'skip' : 'pass',
            message: hot.length
                ? `above ${Math.round(RESOURCE_WARN_RATIO * 100)} % of a limit: ${hot.at(-1)?.resourceWarnings.join('; ')}`
                : (lastNote ??
                    `every container below ${Math.round(RESOURCE_WARN_RATIO * 100)} % of its limits in all samples`),
            adjustment: hot.length
                ? 'raise the limits or find what uses them; the release keeps soaking (this is a warning)'
                : undefined,
            location
        }));
        const thresholdIds = [...new Set(all.flatMap(x => Object.keys(x.thresholds)))];
        for (const id of thresholdIds) {
            const v = violations.find(x => x.signal === id);
            const readings = all
                .map(x => x.thresholds[id])
                .filter((r) => r !== undefined);
            const lastReading = readings.at(-1);
            const failed = readings.filter(r => r.verdict === 'fail').length;
            checks.push((0,checks_result/* checkResult */.iJ)('threshold', id, {
                verdict: v
                    ? 'fail'
                    : lastReading && !(0,model/* isPassing */.WG)(lastReading.verdict) && lastReading.verdict !== 'fail'
                        ? lastReading.verdict
                        : failed
                            ? 'warn'
                            : 'pass',
                message: v
                    ? v.message
                    : failed
                        ? `breached in ${failed} of ${readings.length} samples, never ${s.sustained.samples} of ${s.sustained.of} in a row (sustained): ${readings.filter(r => r.message).at(-1)?.message ?? ''}`
                        : lastReading && lastReading.verdict !== 'pass' && lastReading.verdict !== 'warn'
                            ? `${lastReading.verdict} in the last sample: ${lastReading.message ?? ''}`
                            : `held in all ${readings.length} samples`,
                location: ctx.loaded.locate(['soak', 'thresholds'])
            }));
        }
        const windowLine = `${countOf(total, 'sample')} over ${(0,duration/* formatDuration */.a3)(elapsed)} of the ${(0,duration/* formatDuration */.a3)(s.windowMs)} window (min ${s.minSamples} samples${s.sustained.of > 1 ? `, thresholds sustained ${s.sustained.samples} of ${s.sustained.of}` : ''})`;
        const now = new Date(ctx.clock.now()).toISOString();
        if (ctx.signal.aborted) {
            checks.unshift((0,checks_result/* checkResult */.iJ)('soak', release, {
                verdict: 'cancelled',
                message: `cancelled after ${windowLine}; the samples are kept and the next run continues`,
                location
            }));
            stateNote(index);
            return done('cancelled');
        }
        if (decision.status === 'degraded' && (mode === 'soak' || mode === 'monitor')) {
            const why = violations.map(v => v.message).join('; ');
            checks.unshift((0,checks_result/* checkResult */.iJ)('soak', release, {
                verdict: 'fail',
                message: `release ${release} is degraded: ${why}`,
                adjustment: s.onDegraded
                    ? undefined
                    : `roll back: phase-gate check ${ctx.loaded.displayFile} --gate rollback --level <${(plan.rollbackLevels ?? []).map(l => l.level).join('|') || 'flag|config|code'}>`,
                data: { windowLine },
                location
            }));
            if (ctx.settings.dryRun) {
                notes.push(`dry run: the release would become degraded${s.onDegraded ? ` and the ${s.onDegraded} rollback would run` : ''}`);
                stateNote(index);
                return done();
            }
            index = await record
                // The decision's own time, so the incident's trigger and the state record agree.
                .transition('degraded', release, why, soak.decidedAt ?? now)
                .catch(err => (warnState(err), index));
            const hint = {
                firstBadAt: soak.firstBadAt,
                triggerAt: soak.decidedAt ?? now,
                trigger: `soak: ${why}`
            };
            details.incident = hint;
            await notify('degraded', release, `release ${release} is degraded`, why, {
                firstBadAt: soak.firstBadAt,
                samples: total
            });
            if (s.onDegraded)
                await rollBack(ctx, s.onDegraded, release, extra, notify, hint);
            stateNote(await record.readIndex().catch(() => index));
            return done();
        }
        if (decision.status === 'stable' && mode === 'soak') {
            checks.unshift((0,checks_result/* checkResult */.iJ)('soak', release, {
                verdict: 'pass',
                message: `release ${release} is stable: ${decision.why}`,
                data: { windowLine },
                location
            }));
            if (ctx.settings.dryRun) {
                notes.push('dry run: the release would become stable');
                stateNote(index);
                return done();
            }
            const versions = versionsOf(lastLive);
            index = await record
                .transition('stable', release, `soak: ${decision.why}`, soak.decidedAt ?? now)
                .catch(err => (warnState(err), index));
            index = await record
                .updateIndex(i => {
                i.lastKnownGood = {
                    runId: release,
                    at: now,
                    images: versions.images,
                    revisions: versions.revisions
                };
                const run = i.runs.find(r => r.runId === release);
                if (run && !run.images && Object.keys(versions.images).length)
                    run.images = versions.images;
            })
                .catch(err => (warnState(err), index));
            notes.push(`last known-good: release ${release} (${Object.entries(versions.images)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ') || 'no workload images'})`);
            await notify('stable', release, `release ${release} is stable`, decision.why, {
                samples: total,
                windowMs: s.windowMs,
                images: versions.images
            });
            stateNote(index);
            return done();
        }
        // Still soaking (or a stable release that held): the next run carries on.
        const left = Math.max(0, s.windowMs - elapsed);
        checks.unshift((0,checks_result/* checkResult */.iJ)('soak', release, {
            verdict: 'pass',
            message: mode === 'monitor'
                ? `release ${release} is still stable: no violation in ${countOf(taken, 'new sample')} (${total} in all)`
                : `release ${release} is soaking: ${windowLine}, no violation; ${left > 0 ? `stable after ${(0,duration/* formatDuration */.a3)(left)} more` : `stable after ${s.minSamples - (all.filter(completeSample).length + soak.dropped)} more complete samples`} (a later run continues)`,
            data: { windowLine },
            location
        }));
        stateNote(index);
        return done();
    }
};
/** Runs the onDegraded level through the rollback gate (which moves the state to rolling-back and previous-stable). */
async function rollBack(ctx, level, release, extra, notify, hint) {
    const plan = ctx.loaded.plan;
    const spec = (plan.rollbackLevels ?? []).find(l => l.level === level);
    // Imported when needed: the registry imports this gate, so a static import would be a cycle.
    const { gateFor } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 8389));
    const gate = gateFor('rollback');
    if (!spec || !gate) {
        const started = ctx.clock.now();
        extra.push((0,model/* gateResult */.xp)('rollback', started, [
            (0,checks_result/* checkResult */.iJ)('rollback', level, {
                verdict: 'error',
                message: !spec
                    ? `soak.onDegraded names the ${level} level, which rollbackLevels does not define`
                    : 'the rollback gate is not available in this version of phase-gate',
                location: ctx.loaded.locate(['soak', 'onDegraded'])
            })
        ], { now: ctx.clock.now(), name: level }));
        return;
    }
    const budget = (0,budgets/* levelBudgetMs */.Cu)(spec);
    const startedAt = new Date(ctx.clock.now()).toISOString();
    if (hint) {
        hint.level = level;
        hint.rollbackStartedAt = startedAt;
        hint.budgetMs = budget;
    }
    await notify('rollback-triggered', release, `release ${release} degraded: running the ${level} rollback (budget ${(0,duration/* formatDuration */.a3)(budget)})`, undefined, { level, budgetMs: budget });
    ctx.progress({ gate: 'soak', activity: `degraded: ${level} rollback` });
    let results;
    try {
        results = await gate.run({
            ...ctx,
            runId: release,
            settings: { ...ctx.settings, gate: 'rollback', level }
        });
    }
    catch (err) {
        results = [
            (0,model/* gateResult */.xp)('rollback', Date.parse(startedAt), [
                (0,checks_result/* checkResult */.iJ)('rollback', level, {
                    verdict: 'error',
                    message: `could not run the ${level} rollback: ${(0,core_errors/* errorMessage */.gJ)(err)}`
                })
            ], { now: ctx.clock.now(), name: level })
        ];
    }
    for (const r of results)
        r.details = { ...(r.details ?? {}), notified: true, triggeredBy: 'soak' };
    extra.push(...results);
    if (hint && results.every(r => (0,model/* isPassing */.WG)(r.verdict)))
        hint.recoveredAt = new Date(ctx.clock.now()).toISOString();
}

// EXTERNAL MODULE: ./src/report/format.ts
var format = __webpack_require__(2011);
// EXTERNAL MODULE: ./src/gates/record.ts + 2 modules
var record = __webpack_require__(7345);
;// CONCATENATED MODULE: ./src/report/runbook.ts
/**
 * The runbook of a plan (DESIGN "Domain details: Runbook"): who owns the
 * deployment and the ticket it belongs to, the pre-deployment checklist, the
 * steps in order with the exact commands (phase-gate, kubectl, helm), their
 * validation and their rollback-if conditions with the PromQL behind them,
 * the rollback levels with exact commands and budgets, the metrics to watch
 * and the alert thresholds, dashboards, and who is told what when.
 *
 * Every command sits alone on a line of a `sh` block and runs as written
 * from the repository root: phase-gate's test suite extracts them all and
 * runs them against a local cluster, so a runbook whose rollback command
 * does not work fails the build. `runbookInput` reads what the plan names
 * (its manifests, for the objects and who mounts what); `renderRunbook` is
 * pure.
 */













const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const RESOURCE = {
    Deployment: 'deployment',
    StatefulSet: 'statefulset',
    DaemonSet: 'daemonset'
};
/** Reads what the runbook needs beyond the plan: the objects of each phase and the earlier reports' findings. */
async function runbookInput(loaded, opts) {
    const objects = {};
    const problems = [];
    for (const [i, phase] of (loaded.plan.phases ?? []).entries()) {
        if (!phase.apply?.length)
            continue;
        try {
            const files = await (0,plan_manifests/* expandManifestPaths */.ov)(loaded, phase.apply, `phases[${i}].apply`);
            objects[phase.name] = (await (0,plan_manifests/* loadManifestFiles */.Le)(loaded, files, opts.workspace)).map(m => ({
                kind: m.object.kind,
                name: m.object.metadata.name,
                reads: templateReferences(m.object.spec?.template).map(r => `${r.kind}/${r.name}`)
            }));
        }
        catch (err) {
            problems.push(`phase ${phase.name}: ${err instanceof Error ? err.message : String(err)}`);
        }
    }
    const findings = opts.reports
        ? opts.reports.flatMap(r => r.gates
            .filter(g => g.gate === 'reality-check' || g.gate === 'tracer')
            .flatMap(g => g.checks
            .filter(c => c.verdict !== 'pass' && c.verdict !== 'skip')
            .map(check => ({ gate: g.gate, check }))))
        : undefined;
    return {
        plan: loaded.plan,
        planFile: loaded.displayFile,
        namespace: opts.namespace ?? loaded.plan.target.namespace,
        date: opts.date,
        objects,
        findings,
        problems
    };
}
// ------------------------------------------------------------------ helpers
/** A shell word: plain when safe, else single-quoted. */
function shq(s) {
    return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
function sh(...lines) {
    return ['```sh', ...lines, '```'];
}
function runbook_code(s) {
    return `\`${s.replace(/`/g, "'")}\``;
}
function dur(ms) {
    return (0,duration/* formatDuration */.a3)(ms);
}
/** A check spec in words, for validation steps. */
function runbook_describeCheck(spec) {
    if ('ready' in spec)
        return `${spec.ready.kind} ${spec.ready.name} is ready (kstatus Current)`;
    if ('http' in spec) {
        const h = spec.http;
        const where = h.url ?? `Service ${h.service ?? '?'}:${h.port ?? 80}${h.path ?? '/'}`;
        const expect = h.expect?.status !== undefined ? ` answers ${h.expect.status}` : ' answers';
        return `${where}${expect}${h.expect?.body ? ` with a body matching ${runbook_code(h.expect.body)}` : ''}${h.expect?.cel ? ` and ${runbook_code(h.expect.cel)}` : ''}`;
    }
    if ('command' in spec)
        return `${runbook_code(spec.command.run.join(' '))} exits ${spec.command.expect?.exitCode ?? 0}`;
    if ('env' in spec)
        return `pods ${runbook_code(spec.env.selector)} have ${spec.env.require.join(', ')} in their environment`;
    if ('metric' in spec)
        return `${spec.metric.name ? `${spec.metric.name}: ` : ''}${runbook_code(spec.metric.query)} ${spec.metric.expect}${spec.metric.window ? ` over ${spec.metric.window}` : ''}`;
    if ('pullRequest' in spec)
        return `the pull request has ${spec.pullRequest.approvals ?? 1} approval(s)${spec.pullRequest.requiredChecks?.length ? ` and green ${spec.pullRequest.requiredChecks.join(', ')}` : ''}`;
    if ('tools' in spec)
        return `tools at the needed versions: ${Object.entries(spec.tools)
            .map(([t, v]) => `${t} ${v}`)
            .join(', ')}`;
    if ('migration' in spec)
        return `the migration runs forward (${runbook_code(spec.migration.up.join(' '))}) and back (${runbook_code(spec.migration.down.join(' '))})`;
    if ('argocd' in spec)
        return `Argo CD Application ${spec.argocd.application} is ${spec.argocd.sync ?? 'Synced'} and ${spec.argocd.health ?? 'Healthy'}`;
    if ('alertRules' in spec)
        return `alert rules loaded in Prometheus: ${spec.alertRules.names.join(', ')}`;
    return JSON.stringify(spec);
}
/** Every check spec of the plan, wherever it sits. */
function allChecks(plan) {
    return [
        ...(plan.phases ?? []).flatMap(p => p.validate ?? []),
        ...(plan.validation?.checks ?? []),
        ...(plan.rollout?.infra ?? []),
        ...(plan.soak?.thresholds ?? [])
    ];
}
/** The commands that ask Prometheus for one query, by the plan's way of reaching it. */
function promQueryCommand(spec, query) {
    const s = typeof spec === 'string' ? { url: spec } : spec;
    if (s?.serviceProxy) {
        const m = /^([^/]+)\/([^:]+):(.+)$/.exec(s.serviceProxy);
        if (m)
            return `kubectl get --raw ${shq(`/api/v1/namespaces/${m[1]}/services/${m[2]}:${m[3]}/proxy/api/v1/query?query=${encodeURIComponent(query)}`)}`;
    }
    const auth = s?.bearerTokenEnv
        ? ` -H "Authorization: Bearer $${s.bearerTokenEnv}"`
        : s?.basicAuth
            ? ` -u "$${s.basicAuth.usernameEnv}:$${s.basicAuth.passwordEnv}"`
            : '';
    const ca = s?.caFile ? ` --cacert ${shq(s.caFile)}` : '';
    const url = s?.url
        ? shq(`${s.url.replace(/\/+$/, '')}/api/v1/query`)
        : '"$PHASE_GATE_PROMETHEUS/api/v1/query"';
    return `curl -fsS${auth}${ca} --get ${url} --data-urlencode ${shq(`query=${query}`)}`;
}
function kubectlNs(plan, ns) {
    return `kubectl${plan.target.context ? ` --context ${shq(plan.target.context)}` : ''} -n ${shq(ns)}`;
}
function levelWhat(l) {
    switch (l.level) {
        case 'flag':
            return l.command
                ? `runs ${runbook_code(l.command.run.join(' '))} (the flag service)`
                : `sets ${runbook_code(`${l.key}=${l.value}`)} in ConfigMap ${l.configMap} and reads it back`;
        case 'config':
            return `restores ${[...(l.configMaps ?? []).map(c => `ConfigMap ${c}`), ...(l.secrets ?? []).map(s => `Secret ${s}`)].join(', ') || 'the recorded ConfigMaps and Secrets'} to the versions recorded before the release (the state record), then restarts the workloads that read them`;
        case 'code':
            return l.helm
                ? `rolls Helm release ${l.helm.release} back to its previous revision`
                : l.command
                    ? `runs ${runbook_code(l.command.run.join(' '))}`
                    : `undoes ${l.target ? `${l.target.kind} ${l.target.name}` : 'the workload'} to its last known-good revision (\`phase-gate history\`), verified by image and revision`;
    }
}
// ------------------------------------------------------------------ render
/** The runbook as Markdown. */
function renderRunbook(input) {
    const { plan, planFile, namespace } = input;
    const pf = shq(planFile);
    const k = kubectlNs(plan, namespace);
    const run = '--run-id "$RUN_ID"';
    const out = [];
    const push = (...lines) => void out.push(...lines);
    const owners = plan.owners?.length
        ? plan.owners.join(', ')
        : 'none named (add `owners:` to the plan)';
    const prom = (0,prometheus/* planPrometheus */.iF)(plan);
    const ctx = plan.target.context ? `context ${runbook_code(plan.target.context)}, ` : '';
    push(`# Runbook: ${plan.name}`, '');
    push('| | |', '| --- | --- |');
    push(`| Owners | ${(0,format/* cell */.Hn)(owners)} |`, `| Ticket | ${(0,format/* cell */.Hn)(plan.ticket ?? 'none (add `ticket:` to the plan)')} |`, `| Date | ${input.date} |`);
    push(`| Target | ${ctx}namespace ${runbook_code(namespace)} |`, `| Plan | ${runbook_code(planFile)} |`, '');
    push(`Run every command from the repository root, with ${runbook_code('KUBECONFIG')} pointing at the target cluster${plan.target.context ? ` (context ${runbook_code(plan.target.context)})` : ''} and ${runbook_code('phase-gate')} on the PATH (${runbook_code('npx phase-gate')}). Each line of a ${runbook_code('sh')} block is one command, exactly as phase-gate's own tests run it against a local cluster.`, `${runbook_code('RUN_ID')} ties the steps of one deployment together (in CI it is the workflow run id): set it once.`, '', ...sh(`export RUN_ID="${plan.name}-$(date -u +%Y%m%d%H%M%S)"`), '');
    // ---------------------------------------------------------------- states
    push('## Deployment states', '');
    push(`The state record (ConfigMap ${runbook_code(`phase-gate-${plan.name}`)} in ${runbook_code(namespace)}) keeps the state with its history: images ready → packaged → deploying → active → stable; a violation makes it degraded → rolling back → previous stable.`, '', '| state | moved there by |', '| --- | --- |');
    for (const [state, how] of Object.entries(state_record/* STATE_CHECKS */.K))
        push(`| ${state} | ${(0,format/* cell */.Hn)(how)} |`);
    push('', ...sh(`phase-gate status ${pf}`), '');
    // ---------------------------------------------------------------- checklist
    push('## Pre-deployment checklist', '');
    push(`- [ ] The plan is valid and every file it names exists.`, '', ...sh(`phase-gate lint ${pf}`), '');
    const helm = (plan.phases ?? []).some(p => p.helm) || (plan.rollbackLevels ?? []).some(l => l.helm);
    const toolChecks = allChecks(plan).filter((c) => 'tools' in c);
    push(`- [ ] The tools this runbook calls are installed${toolChecks.length ? ` at the versions the plan requires (${toolChecks.flatMap(t => Object.entries(t.tools).map(([n, v]) => `${n} ${v}`)).join(', ')})` : ''}.`, '', ...sh('kubectl version --client', ...(helm ? ['helm version --short'] : [])), '');
    push(`- [ ] The target namespace exists and this identity can reach it.`, '', ...sh(`${k} get serviceaccount default -o name`), '');
    for (const c of allChecks(plan)) {
        if ('pullRequest' in c)
            push(`- [ ] Review complete: ${runbook_describeCheck(c)}.`);
        if ('migration' in c)
            push(`- [ ] Migrations: ${runbook_describeCheck(c)} (old code must work with the new schema).`);
        if ('alertRules' in c)
            push(`- [ ] Alerting is ready: ${runbook_describeCheck(c)} (checked by the validate gate).`);
    }
    if (plan.dashboards?.length)
        push(`- [ ] Dashboards open: ${plan.dashboards.map(d => `[${d.name}](${d.url})`).join(', ')}.`);
    if (plan.notify?.length)
        push(`- [ ] Webhook secrets are set where phase-gate runs: ${plan.notify.map(n => runbook_code(n.urlEnv)).join(', ')} (never paste the URLs anywhere else).`);
    push(`- [ ] The owners (${owners}) know the deployment window${plan.ticket ? ` of ${plan.ticket}` : ''}.`);
    push(`- [ ] Critical findings of the reality check are resolved (below).`, '');
    push('### Reality check findings', '');
    if (!input.findings)
        push(`No reality-check report was given. After the reality check, ${runbook_code(`phase-gate runbook ${planFile} --reports DIR`)} lists its findings here.`, '');
    else if (input.findings.length === 0)
        push('The reality check and the tracer bullets found nothing to fix.', '');
    else {
        push('| gate | severity | check | finding | adjustment |', '| --- | --- | --- | --- | --- |');
        for (const f of input.findings)
            push(`| ${f.gate} | ${f.check.severity} | ${(0,format/* cell */.Hn)(`${f.check.kind} ${f.check.target}`)} | ${(0,format/* cell */.Hn)(f.check.message)} | ${(0,format/* cell */.Hn)(f.check.adjustment ?? '')} |`);
        push('');
    }
    for (const p of input.problems ?? [])
        push(`> ${p}`, '');
    // ---------------------------------------------------------------- steps
    push('## Steps', '');
    let n = 0;
    const step = (title) => void push(`### ${++n}. ${title}`, '');
    const a = plan.assumptions ?? {};
    step(`Reality check (budget ${dur((0,budgets/* budgetMs */.OU)(plan, 'reality-check'))})`);
    const proves = [
        a.apis?.length ? `${a.apis.length} APIs` : '',
        a.images?.length ? `${a.images.length} images pullable` : '',
        a.operators?.length ? `${a.operators.length} operators ready` : '',
        a.permissions?.length ? 'permissions' : '',
        a.quota ? 'quota headroom' : '',
        a.storageClasses?.length ? 'storage classes' : '',
        a.manifests?.length ? 'admission (server-side dry run) of every manifest' : ''
    ].filter(Boolean);
    push(`Proves against the live cluster: ${proves.join(', ') || "the namespace and phase-gate's own rights"}. Nothing changes in the cluster but the state record: when the gate passes with every image pullable the deployment is **images-ready** (unless a release is still in flight there).`, '');
    push(...sh(`phase-gate check ${pf} --gate reality-check`), '');
    push('Go on when the gate passes (warnings allowed). Otherwise fix the plan or the cluster as each finding says, and run it again.', '');
    if (plan.tracers?.length) {
        step(`Tracer bullets (budget ${dur((0,budgets/* budgetMs */.OU)(plan, 'tracer'))})`);
        push('| bullet | assumption | success | timeout |', '| --- | --- | --- | --- |');
        for (const t of plan.tracers)
            push(`| ${t.name} | ${(0,format/* cell */.Hn)(t.assumption)} | ${(0,format/* cell */.Hn)(JSON.stringify(t.success))} | ${t.timeout ?? '-'} |`);
        push('', ...sh(`phase-gate check ${pf} --gate tracer`), '');
        push('Each bullet cleans up after itself. A failed bullet sends the deployment back to research: its evidence names the assumption that did not hold.', '');
    }
    step(`Plan and approval (budget ${dur((0,budgets/* budgetMs */.OU)(plan, 'plan'))})`);
    push(...sh(`phase-gate check ${pf} --gate plan`), '');
    push(`The rendered plan goes to the approvers. In CI the job after this one runs in the environment ${runbook_code(plan.approval?.environment ?? 'plan-approval')}, whose required reviewers are the approval.`, '');
    for (const [i, phase] of (plan.phases ?? []).entries())
        renderPhase(push, step, plan, phase, i, input, pf, k, run);
    step(`Validation (budget ${dur((0,budgets/* budgetMs */.OU)(plan, 'validate'))})`);
    const vsteps = (plan.validation?.checks ?? []).map(c => `- ${runbook_describeCheck(c)}`);
    if (plan.validation?.rollbackTest !== false)
        vsteps.push('- the rollback test: a server-side dry run of undoing every phase (what would be deleted, restored and kept)');
    if (vsteps.length)
        push('Validation steps:', '', ...vsteps, '');
    push(...sh(`phase-gate check ${pf} --gate validate ${run}`), '');
    push('On a pass the deployment is **active**.', '');
    if (plan.rollout) {
        const r = plan.rollout;
        const canary = canaryWorkload(r);
        const triggers = (0,metrics_judge/* compileTriggers */.f8)(r.rollbackIf);
        const interval = r.interval ?? '30s';
        const traffic = r.route
            ? `the weights of HTTPRoute ${r.route.name} (stable → ${r.target.name}, canary → ${canary.name})`
            : `the replicas of ${r.target.kind} ${r.target.name} (stable) and ${canary.kind} ${canary.name} (canary)${r.replicas ? `, ${r.replicas} in all` : ''}`;
        for (const stage of rolloutStages(r)) {
            step(stage.infra
                ? 'Rollout: infra steps at 0 %'
                : `Rollout stage ${runbook_code(stage.name)}: ${stage.weight} %${stage.holdMs ? `, hold ${dur(stage.holdMs)}` : ''}`);
            if (stage.infra)
                push('Infra steps (a failed step is the trigger):', '', ...(r.infra ?? []).map(c => `- ${runbook_describeCheck(c)}`), '');
            else
                push(`Traffic moves through ${traffic}.`, '');
            const obj = [r.target, canary]
                .filter(w => WORKLOADS.has(w.kind))
                .map(w => `${RESOURCE[w.kind]}/${w.name}`);
            push(...sh(`phase-gate check ${pf} --gate rollout --stage ${shq(stage.name)} ${run}`, ...(obj.length ? [`${k} get ${obj.join(' ')}`] : [])), '');
            if (!stage.infra && stage.holdMs > 0) {
                push(`Rollback if any of these holds, judged every ${interval} during the hold (\`value\` is the canary's, \`baseline\` the stable track's); on a trigger the canary goes to 0 % at once${r.onTrigger && r.onTrigger !== 'none' ? ` and the ${runbook_code(r.onTrigger)} level runs` : ''}:`, '', '| trigger | condition (CEL) | canary PromQL |', '| --- | --- | --- |');
                for (const t of triggers) {
                    const q = t.metric ? r.metrics?.[t.metric] : undefined;
                    const promql = t.resource
                        ? (0,format/* cell */.Hn)(`${runbook_code(CADVISOR_SERIES[t.resource])} of the canary's pods, against their limits`)
                        : typeof q === 'string'
                            ? (0,format/* cell */.Hn)(runbook_code((0,prometheus/* withTrack */.eI)(q, 'canary')))
                            : t.metric
                                ? '-'
                                : 'every metric';
                    push(`| ${(0,format/* cell */.Hn)(t.source)} | ${t.cel ? runbook_code(t.cel) : 'no sample'} | ${promql} |`);
                }
                push('');
            }
            else if (!stage.infra)
                push('No hold at this stage: metrics are not judged here.', '');
        }
        push(`After the last stage the deployment is **active** at 100 %.`, '');
    }
    if (plan.soak) {
        const s = soakSettings(plan);
        step(`Soak: ${dur(s.windowMs)} window`);
        push(`Samples every ${dur(s.intervalMs)}: restart counts must not grow and readiness must hold in every sample; resource use above 80 % of a limit is a warning; the thresholds below breach when ${s.sustained.samples} of the last ${s.sustained.of} samples do. After the window with at least ${s.minSamples} samples and no violation the release is **stable** (and the last known-good version); a violation makes it **degraded**${s.onDegraded ? ` and runs the ${runbook_code(s.onDegraded)} rollback level` : ''}.`, '');
        if (plan.soak.thresholds?.length)
            push('Thresholds:', '', ...plan.soak.thresholds.map(c => `- ${runbook_describeCheck(c)}`), '');
        if (s.runForMs !== undefined)
            push(`${s.runForMs === 0 ? 'Each run takes one sample' : `Each run samples for ${dur(s.runForMs)}`}; a scheduled workflow runs this gate until the window is over, the samples adding up in the state record (\`phase-gate status\` shows them).`, '');
        push(...sh(`phase-gate check ${pf} --gate soak ${run}`, `phase-gate status ${pf}`), '');
    }
    step(`Record (budget ${dur((0,budgets/* budgetMs */.OU)(plan, 'record'))})`);
    push('The deployment record and retrospective (with the incident, when a gate failed or a rollback ran), and the runs so far:', '');
    push(...sh(`phase-gate check ${pf} --gate record ${run}`, `phase-gate history ${pf}`), '');
    renderLevels(push, plan, input, pf, k, run);
    renderMetrics(push, plan, prom);
    push('## Dashboards', '');
    push(...(plan.dashboards?.length
        ? plan.dashboards.map(d => `- [${d.name}](${d.url})`)
        : ['None named (add `dashboards:` to the plan).']), '');
    renderCommunication(push, plan, owners);
    return `${out
        .join('\n')
        .replace(/\n{3,}/g, '\n\n')
        .trimEnd()}\n`;
}
function renderPhase(push, step, plan, phase, i, input, pf, k, run) {
    const budget = (0,budgets/* budgetMs */.OU)(plan, 'phase', { phase });
    const timeout = Math.min((0,duration/* durationMs */.pc)(phase.timeout, budget), budget);
    step(`Phase ${runbook_code(phase.name)} (budget ${dur(budget)}, timeout ${dur(timeout)})`);
    const objects = input.objects[phase.name] ?? [];
    const helm = phase.helm;
    if (helm)
        push(`Installs or upgrades Helm release ${runbook_code(helm.release)} (chart ${runbook_code(helm.chart)}${helm.version ? ` ${helm.version}` : ''}) and waits with phase-gate's readiness.`, '');
    else if (objects.length)
        push(`Applies (server-side, field manager \`phase-gate\`): ${objects.map(o => `${o.kind} ${o.name}`).join(', ')}.`, '');
    if (phase.migration)
        push(`Runs the migration ${runbook_code(phase.migration.up.join(' '))}${phase.migration.down?.length ? ` (down: ${runbook_code(phase.migration.down.join(' '))})` : ' with **no down step: code rollback is frozen after it**'}.`, '');
    const lines = [`phase-gate check ${pf} --gate phase --phase ${shq(phase.name)} ${run}`];
    for (const o of objects.filter(x => WORKLOADS.has(x.kind)))
        lines.push(`${k} rollout status ${RESOURCE[o.kind]}/${o.name} --timeout=${Math.max(1, Math.round(timeout / 1000))}s`);
    if (helm)
        lines.push(`helm -n ${shq(helm.namespace ?? input.namespace)} status ${shq(helm.release)}`, `helm -n ${shq(helm.namespace ?? input.namespace)} history ${shq(helm.release)} --max 5`);
    else
        lines.push(`${k} get all,configmaps -l ${shq(`phase-gate.dev/phase=${phase.name}`)}`);
    push(...sh(...lines), '');
    if (phase.validate?.length)
        push('Validation steps (besides every applied object being ready):', '', ...phase.validate.map(c => `- ${runbook_describeCheck(c)}`), '');
    const actions = phase.rollback?.length ? phase.rollback : [{ undo: true }];
    const how = actions
        .map(x => 'undo' in x
        ? 'undo: delete what the phase created (PersistentVolumeClaims and objects marked keep stay), restore what existed before to its recorded state'
        : 'helm' in x
            ? 'helm rollback to the previous revision'
            : `run ${runbook_code(x.command.run.join(' '))}`)
        .join('; then ');
    push(`Rollback if an object is not ready within ${dur(timeout)} (a known failure such as ImagePullBackOff ends the wait at once) or a validation step fails: phase-gate rolls the phase back by itself, within its own budget of ${dur((0,budgets/* budgetMs */.OU)(plan, 'rollback', { phase }))}: ${how}. The deployment stops there.`, '');
}
function renderLevels(push, plan, input, pf, k, run) {
    push('## Rollback levels', '');
    const levels = plan.rollbackLevels ?? [];
    if (!levels.length) {
        push("The plan defines no rollback levels: only each phase's own undo is available. Add `rollbackLevels:` (flag < 1 min, config < 5 min, code < 15 min).", '');
        return;
    }
    push('Cheapest first. Each level runs within its own budget (flag < 1 min, config < 5 min, code < 15 min unless the plan says otherwise), is verified, and reports its time against the budget. Use the next level only when the one before did not restore the service.', '', '| level | budget | what it does |', '| --- | --- | --- |');
    for (const l of levels)
        push(`| ${l.level} | ${dur((0,budgets/* levelBudgetMs */.Cu)(l))} | ${(0,format/* cell */.Hn)(levelWhat(l))} |`);
    push('');
    const readers = (names) => {
        const want = new Set(names);
        const out = new Set();
        for (const objs of Object.values(input.objects))
            for (const o of objs)
                if (WORKLOADS.has(o.kind) && o.reads.some(r => want.has(r)))
                    out.add(`${RESOURCE[o.kind]}/${o.name}`);
        return [...out];
    };
    for (const l of levels) {
        push(`### ${l.level} (budget ${dur((0,budgets/* levelBudgetMs */.Cu)(l))})`, '', `${levelWhat(l)[0].toUpperCase()}${levelWhat(l).slice(1)}.`, '');
        push(...sh(`phase-gate check ${pf} --gate rollback --level ${l.level} ${run}`), '');
        const byHand = [];
        if (l.level === 'flag' && !l.command && l.configMap && l.key !== undefined)
            byHand.push(`${k} patch configmap ${shq(l.configMap)} --type merge -p ${shq(JSON.stringify({ data: { [l.key]: l.value ?? '' } }))}`, `${k} get configmap ${shq(l.configMap)} -o ${shq(`jsonpath={.data.${l.key}}`)}`);
        if (l.level === 'config') {
            const w = readers([
                ...(l.configMaps ?? []).map(c => `ConfigMap/${c}`),
                ...(l.secrets ?? []).map(s => `Secret/${s}`)
            ]);
            if (w.length)
                byHand.push(`${k} rollout restart ${w.join(' ')}`, ...w.map(x => `${k} rollout status ${x} --timeout=${Math.round((0,budgets/* levelBudgetMs */.Cu)(l) / 1000)}s`));
        }
        if (l.level === 'code' && l.helm)
            byHand.push(`helm -n ${shq(input.namespace)} rollback ${shq(l.helm.release)}`, `helm -n ${shq(input.namespace)} history ${shq(l.helm.release)} --max 5`);
        else if (l.level === 'code' && l.target && WORKLOADS.has(l.target.kind)) {
            const x = `${RESOURCE[l.target.kind]}/${l.target.name}`;
            byHand.push(`${k} rollout undo ${x}`, `${k} rollout status ${x} --timeout=${Math.round((0,budgets/* levelBudgetMs */.Cu)(l) / 1000)}s`);
        }
        if (byHand.length) {
            const why = l.level === 'config'
                ? 'By hand, once the recorded versions are back (`phase-gate history` names the run), restart what reads them:'
                : l.level === 'code'
                    ? 'By hand, when phase-gate cannot run (this goes to the previous revision, not necessarily the last known-good one):'
                    : 'By hand, when phase-gate cannot run:';
            push(why, '', ...sh(...byHand), '');
        }
        if (l.level === 'code' &&
            (plan.phases ?? []).some(p => p.migration && !p.migration.down?.length))
            push('> A phase runs a migration without a down step: phase-gate refuses code rollback after it and offers the flag and config levels.', '');
    }
}
function renderMetrics(push, plan, prom) {
    push('## Metrics to watch and alert thresholds', '');
    const rows = [];
    const r = plan.rollout;
    if (r?.metrics) {
        const triggers = (0,metrics_judge/* compileTriggers */.f8)(r.rollbackIf);
        for (const [name, q] of Object.entries(r.metrics)) {
            if (typeof q !== 'string' || name === 'prometheus')
                continue;
            const t = triggers.filter(x => x.metric === name).map(x => x.source);
            rows.push({
                name: `${name} (canary)`,
                query: (0,prometheus/* withTrack */.eI)(q, 'canary'),
                threshold: name === 'requests' ? 'zero means no traffic: the stage holds' : t.join('; ') || '-'
            });
        }
    }
    if (r)
        for (const t of (0,metrics_judge/* compileTriggers */.f8)(r.rollbackIf))
            if (t.resource)
                rows.push({
                    name: `${t.resource} share of limits (canary)`,
                    query: CADVISOR_SERIES[t.resource],
                    threshold: t.source
                });
    for (const c of allChecks(plan))
        if ('metric' in c && !rows.some(x => x.query === c.metric.query))
            rows.push({
                name: c.metric.name ?? 'metric check',
                query: c.metric.query,
                threshold: c.metric.expect
            });
    if (rows.length) {
        push(`Prometheus: ${prom ? runbook_code(typeof prom === 'string' ? prom : prom.url) : `${runbook_code('$PHASE_GATE_PROMETHEUS')} (the plan names none)`}.`, '');
        push('| metric | PromQL | threshold |', '| --- | --- | --- |');
        for (const x of rows)
            push(`| ${(0,format/* cell */.Hn)(x.name)} | ${(0,format/* cell */.Hn)(runbook_code(x.query))} | ${(0,format/* cell */.Hn)(x.threshold)} |`);
        push('', 'Ask Prometheus by hand:', '', ...sh(...rows.map(x => promQueryCommand(prom, x.query))), '');
    }
    else
        push('The plan judges no metrics. Add `rollout.metrics` or `metric` checks to have numbers to watch.', '');
    const alerts = allChecks(plan).flatMap(c => ('alertRules' in c ? c.alertRules.names : []));
    push(alerts.length
        ? `Alert rules that must be loaded (the validate gate checks): ${alerts.map(runbook_code).join(', ')}.`
        : 'The plan names no alert rules (an `alertRules` check makes the validate gate prove they are loaded).', '');
    push("Thresholds teams start from: **critical** when the error rate is above 5 %, p99 above 5 s, or any 5xx on a health check; **warning** when the error rate is above 2 %, p95 above 2 s, or resource use above 80 % of a limit; canary rollback when its error rate is above 2× the stable one; no metrics for 5 minutes is a trigger (dead-man's switch).", '');
}
function renderCommunication(push, plan, owners) {
    push('## Communication plan', '');
    const hooks = plan.notify ?? [];
    const when = {
        'awaiting-approval': 'the plan gate passes',
        'stage-promoted': 'a rollout stage passes its hold',
        'rollback-triggered': 'a rollout trigger fires or a rollback level runs',
        degraded: 'the soak finds a violation',
        stable: 'the soak window passes clean'
    };
    const extra = {
        'awaiting-approval': `the approvers of ${runbook_code(plan.approval?.environment ?? 'plan-approval')}`,
        'stage-promoted': '',
        'rollback-triggered': `owners and on-call (${owners})`,
        degraded: `owners and on-call (${owners})`,
        stable: ''
    };
    push('| event | when | webhooks | also tell |', '| --- | --- | --- | --- |');
    for (const e of events/* NOTIFY_EVENTS */.yK) {
        const to = hooks
            .filter(h => !h.events?.length || h.events.includes(e))
            .map(h => `${h.name ?? h.urlEnv} (${h.format ?? 'json'})`);
        push(`| ${e} | ${when[e]} | ${(0,format/* cell */.Hn)(to.join(', ') || 'none')} | ${(0,format/* cell */.Hn)(extra[e])} |`);
    }
    push('');
    push(hooks.length
        ? `Webhook URLs come from the environment variables ${hooks.map(h => runbook_code(h.urlEnv)).join(', ')} (secrets). phase-gate retries a webhook with backoff and never lets it hold up a verdict; a failed delivery is a note in the gate's summary.`
        : 'No webhook is configured (`notify:`): tell the owners by hand at each event above.', '', `On-call and owners: ${owners}.`, '');
}
/** A date `YYYY-MM-DD` from SOURCE_DATE_EPOCH (reproducible builds) or now. */
function runbookDate(env = process.env, now = Date.now()) {
    const epoch = env.SOURCE_DATE_EPOCH;
    const ms = epoch && /^\d+$/.test(epoch) ? Number(epoch) * 1000 : now;
    return new Date(ms).toISOString().slice(0, 10);
}
/** The runbook for a gate to attach (the plan gate): its reports are the run's earlier ones and those of `--reports DIR`. */
async function gateRunbook(ctx) {
    const plan = ctx.loaded.plan.name;
    const reports = ctx.earlier.filter(r => r.plan === plan);
    if (ctx.settings.reportsDir)
        reports.push(...(await (0,record/* readReportsDir */.bk)(ctx.settings.reportsDir, plan).then(r => r.reports.map(x => x.report), () => [])));
    const input = await runbookInput(ctx.loaded, {
        workspace: ctx.settings.workspace,
        namespace: ctx.namespace,
        date: runbookDate(),
        reports: reports.length ? reports : undefined
    });
    return renderRunbook(input);
}

;// CONCATENATED MODULE: ./src/gates/plan.ts
/**
 * Gate P, the plan: renders what will happen for the person who approves it
 * (phases with their resources, checks and rollbacks, the rollback levels,
 * the risks the reality check and the tracers found, the deployment's state,
 * budgets and the staged rollout) into `details.planMarkdown`, and proves
 * that the approval point exists: the environment of the job after this one
 * has required reviewers or a wait timer. The plan job itself runs without
 * an environment, so reviewers approve what they have seen.
 */













/** The approval environment when neither the workflow nor the plan names one. */
const DEFAULT_APPROVAL_ENVIRONMENT = 'plan-approval';
const MAX_REPORT_BYTES = 20 << 20;
const MAX_DEPTH = 2;
/** The approval environment and where its name came from: the input (or flag), the plan, or the default. */
function approvalEnvironment(settings, plan) {
    if (settings.approvalEnvironment?.trim())
        return { environment: settings.approvalEnvironment.trim(), source: 'input' };
    if (plan.approval?.environment?.trim())
        return { environment: plan.approval.environment.trim(), source: 'plan' };
    return { environment: DEFAULT_APPROVAL_ENVIRONMENT, source: 'default' };
}
function isRunReport(v) {
    if (!v || typeof v !== 'object')
        return false;
    const r = v;
    return (r.schemaVersion === 1 &&
        typeof r.plan === 'string' &&
        typeof r.runId === 'string' &&
        Array.isArray(r.gates));
}
/**
 * The reports of one plan in a directory (the downloaded artifacts: one
 * subdirectory per artifact unless they were merged); other files are skipped
 * with the reason.
 */
async function readPlanReports(dir, plan) {
    const reports = [];
    const skipped = [];
    const walk = async (d, depth) => {
        const entries = await (0,promises_.readdir)(d, { withFileTypes: true });
        for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
            const path = (0,external_node_path_.join)(d, e.name);
            if (e.isDirectory()) {
                if (depth < MAX_DEPTH)
                    await walk(path, depth + 1);
                continue;
            }
            if (!e.isFile() || !e.name.endsWith('.json'))
                continue;
            const shown = (0,external_node_path_.relative)(dir, path);
            try {
                if ((await (0,promises_.stat)(path)).size > MAX_REPORT_BYTES) {
                    skipped.push(`${shown}: larger than 20 MB`);
                    continue;
                }
                const parsed = JSON.parse(await (0,promises_.readFile)(path, 'utf8'));
                if (!isRunReport(parsed))
                    skipped.push(`${shown}: not a phase-gate report`);
                else if (parsed.plan !== plan)
                    skipped.push(`${shown}: a report of plan ${parsed.plan}`);
                else
                    reports.push(parsed);
            }
            catch (err) {
                skipped.push(`${shown}: unreadable: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
            }
        }
    };
    await walk(dir, 0);
    return { reports, skipped };
}
/** The newest result per gate and unit (a re-run job's report replaces the first attempt's). */
function latestResults(reports, gates) {
    const byKey = new Map();
    const ordered = [...reports].sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
    for (const report of ordered)
        for (const result of report.gates) {
            if (!gates.includes(result.gate) || (result.verdict === 'skip' && result.checks.length === 0))
                continue;
            byKey.set(`${result.gate}:${result.name ?? ''}`, { result, report });
        }
    return [...byKey.values()];
}
/** Risks (warn, fail, error ... checks) and unproven (skipped) checks of the reality check and the tracers. */
function risksFrom(sourced) {
    const risks = [];
    const unproven = [];
    for (const { result } of sourced)
        for (const c of result.checks) {
            const view = {
                gate: result.gate,
                unit: result.name,
                verdict: c.verdict,
                severity: c.severity,
                kind: c.kind,
                target: c.target,
                message: c.message,
                adjustment: c.adjustment
            };
            if (c.verdict === 'skip')
                unproven.push(view);
            else if (c.verdict !== 'pass')
                risks.push(view);
        }
    return { risks, unproven };
}
function plan_evidenceOf(gate, sourced) {
    const mine = sourced.filter(s => s.result.gate === gate);
    if (mine.length === 0)
        return { gate, status: 'missing' };
    const newest = mine.reduce((a, b) => (a.report.finishedAt >= b.report.finishedAt ? a : b));
    return {
        gate,
        status: 'found',
        verdict: (0,model/* combineVerdicts */.aG)(mine.map(s => s.result.verdict)),
        runId: newest.report.runId,
        checks: mine.reduce((n, s) => n + s.result.checks.length, 0),
        finishedAt: newest.report.finishedAt
    };
}
/** The check that a gate the plan relies on ran and passed. */
function evidenceCheck(e, runId, runIdGiven) {
    const kind = 'evidence';
    if (e.status === 'missing')
        return (0,checks_result/* checkResult */.iJ)(kind, e.gate, {
            verdict: 'warn',
            severity: 'medium',
            message: `no ${e.gate} report: the plan is shown without the risks the ${e.gate} gate would have found`,
            adjustment: `Run the ${e.gate} gate first: in a workflow, download the earlier jobs' report artifacts and pass the directory in the \`reports\` input; ` +
                'on the CLI use --gate all, or --reports DIR with the reports of earlier calls.'
        });
    const verdict = e.verdict ?? 'pass';
    if (!(0,model/* isPassing */.WG)(verdict))
        return (0,checks_result/* checkResult */.iJ)(kind, e.gate, {
            verdict: 'fail',
            message: `${e.gate} did not pass (${verdict}${e.runId ? ` in run ${e.runId}` : ''}): the plan rests on assumptions the cluster did not confirm`,
            adjustment: `Fix what the ${e.gate} findings below say and run it again before asking for approval.`,
            data: { gate: e.gate, verdict, runId: e.runId }
        });
    if (runIdGiven && e.runId && e.runId !== runId)
        return (0,checks_result/* checkResult */.iJ)(kind, e.gate, {
            verdict: 'warn',
            severity: 'medium',
            message: `the ${e.gate} report is from run ${e.runId}, not this run (${runId}): the cluster may have changed since`,
            adjustment: `Run the ${e.gate} gate in this run, or pass this run's reports.`,
            data: { gate: e.gate, verdict, runId: e.runId }
        });
    return (0,checks_result/* checkResult */.iJ)(kind, e.gate, {
        verdict: 'pass',
        message: `${e.gate} ${verdict === 'warn' ? 'passed with warnings' : 'passed'} (${e.checks ?? 0} checks${e.runId ? `, run ${e.runId}` : ''})`,
        data: { gate: e.gate, verdict, runId: e.runId }
    });
}
const SETTLED = new Set(['images-ready', 'packaged', 'active', 'stable', 'previous-stable']);
/** The deployment-state check and view from the plan's state record. */
function stateCheck(plan, namespace, index) {
    const target = `${plan} in ${namespace}`;
    if (index instanceof Error) {
        const hint = index instanceof core_errors/* InfraError */.Ri ? index.hint : undefined;
        return {
            view: { status: 'unknown', reason: (0,core_errors/* errorMessage */.gJ)(index) },
            check: (0,checks_result/* checkResult */.iJ)('state', target, {
                verdict: 'warn',
                severity: 'medium',
                message: `could not read the deployment state: ${(0,core_errors/* errorMessage */.gJ)(index)}`,
                adjustment: hint ??
                    'Give the plan job the kubeconfig secret so the approver sees what is deployed now.'
            })
        };
    }
    const lkg = index.lastKnownGood
        ? { runId: index.lastKnownGood.runId, at: index.lastKnownGood.at }
        : undefined;
    const last = index.history[index.history.length - 1];
    const view = {
        status: 'read',
        state: index.state,
        since: index.stateSince,
        runId: last?.runId,
        lastKnownGood: lkg
    };
    const data = {
        state: index.state ?? null,
        since: index.stateSince,
        runId: last?.runId,
        lastKnownGood: lkg?.runId
    };
    if (!index.state)
        return {
            view,
            check: (0,checks_result/* checkResult */.iJ)('state', target, {
                verdict: 'pass',
                message: 'no deployment recorded yet: this is the first',
                data
            })
        };
    const since = index.stateSince ? ` since ${index.stateSince}` : '';
    const run = last?.runId ? ` (run ${last.runId})` : '';
    if (SETTLED.has(index.state))
        return {
            view,
            check: (0,checks_result/* checkResult */.iJ)('state', target, {
                verdict: 'pass',
                message: `deployment state ${index.state}${since}${run}`,
                data
            })
        };
    const why = {
        deploying: 'a deployment is under way or was interrupted',
        'rolling-back': 'a rollback is under way or was interrupted',
        degraded: 'the current release is degraded',
        failed: 'the last deployment failed'
    };
    return {
        view,
        check: (0,checks_result/* checkResult */.iJ)('state', target, {
            verdict: 'warn',
            severity: 'medium',
            message: `deployment state ${index.state}${since}${run}: ${why[index.state] ?? 'not a settled state'}`,
            evidence: index.history
                .slice(-5)
                .map(h => `${h.at} ${h.state} (run ${h.runId})${h.reason ? `: ${h.reason}` : ''}`)
                .join('\n'),
            adjustment: 'Look at that run before approving: an approval now deploys on top of it.',
            data
        })
    };
}
async function readState(ctx) {
    let context;
    try {
        const cluster = await ctx.cluster();
        context = cluster.context;
        const record = new state_record/* StateRecord */.l(cluster, ctx.loaded.plan.name, ctx.namespace, ctx.loaded.plan.state?.keepRuns);
        return { index: await record.readIndex(), context };
    }
    catch (err) {
        return { index: err instanceof Error ? err : new Error((0,core_errors/* errorMessage */.gJ)(err)), context };
    }
}
async function phaseViews(ctx) {
    const plan = ctx.loaded.plan;
    return Promise.all((plan.phases ?? []).map(async (p, i) => {
        const view = {
            name: p.name,
            files: p.apply ?? [],
            resources: [],
            checks: p.validate ?? [],
            rollback: p.rollback ?? [],
            timeout: p.timeout,
            budgetMs: (0,budgets/* phaseBudgetMs */.bb)(plan, p),
            rollbackBudgetMs: (0,budgets/* rollbackBudgetMs */.Uz)(plan, p)
        };
        if (p.migration)
            view.migration = { reversible: (p.migration.down ?? []).length > 0 };
        if (p.helm) {
            view.helm = {
                release: p.helm.release,
                chart: p.helm.chart,
                version: p.helm.version,
                namespace: p.helm.namespace
            };
            return view;
        }
        try {
            const files = await (0,plan_manifests/* expandManifestPaths */.ov)(ctx.loaded, p.apply ?? [], `phases[${i}].apply`);
            const manifests = await (0,plan_manifests/* loadManifestFiles */.Le)(ctx.loaded, files, ctx.settings.workspace);
            view.resources = manifests.map(m => ({
                apiVersion: m.object.apiVersion,
                kind: m.object.kind,
                name: m.object.metadata.name,
                namespace: m.object.metadata.namespace && m.object.metadata.namespace !== ctx.namespace
                    ? m.object.metadata.namespace
                    : undefined,
                file: m.file
            }));
        }
        catch (err) {
            view.resourcesError = (0,core_errors/* errorMessage */.gJ)(err);
        }
        return view;
    }));
}
function plan_levelWhat(l) {
    switch (l.level) {
        case 'flag':
            if (l.command)
                return `run ${l.command.run.join(' ')}`;
            return `set ${l.key ?? '?'}=${JSON.stringify(l.value ?? '')} in ConfigMap ${l.configMap ?? '?'} and verify it took effect`;
        case 'config': {
            const what = [
                ...(l.configMaps ?? []).map(n => `ConfigMap ${n}`),
                ...(l.secrets ?? []).map(n => `Secret ${n}`)
            ];
            return `restore ${what.join(', ') || 'the recorded ConfigMaps and Secrets'} to their recorded versions, restart what mounts them`;
        }
        case 'code':
            if (l.helm)
                return `helm rollback ${l.helm.release} to the last known-good revision`;
            if (l.command)
                return `run ${l.command.run.join(' ')}`;
            return `undo ${l.target ? `${l.target.kind} ${l.target.name}` : 'the workload'} to the last known-good revision, verified by image and revision`;
    }
}
/** The rollback levels with what each does and its budget. */
function levelViews(plan) {
    return (plan.rollbackLevels ?? []).map(l => ({
        level: l.level,
        what: plan_levelWhat(l),
        budgetMs: (0,budgets/* levelBudgetMs */.Cu)(l)
    }));
}
function safeCel(f) {
    try {
        return f();
    }
    catch {
        // The plan was linted; a trigger that does not compile is already reported there.
        return undefined;
    }
}
/** The staged rollout with compiled triggers. */
function rolloutView(plan, rollout) {
    const canary = rollout.canary ?? {
        kind: rollout.target.kind,
        name: `${rollout.target.name}-canary`
    };
    const stages = rollout.stages?.length ? rollout.stages : defaults/* DEFAULT_STAGES */.m;
    const metrics = Object.entries(rollout.metrics ?? {})
        .filter((e) => e[0] !== 'prometheus' && typeof e[1] === 'string')
        .map(([name, query]) => ({ name, query }));
    const triggers = (rollout.rollbackIf ?? []).map(t => {
        const samples = t.samples !== undefined && t.of !== undefined ? { n: t.samples, of: t.of } : undefined;
        // A resource trigger judges the canary's share of its limits, not a metric of rollout.metrics.
        const of = t.resource ? `canary ${t.resource} use against limits: ` : '';
        if (t.noDataFor !== undefined)
            return {
                metric: t.metric,
                text: `${of}no data for ${t.noDataFor} (dead-man's switch)`,
                samples
            };
        const parts = [];
        if (t.above !== undefined)
            parts.push(`above ${t.above}`);
        if (t.below !== undefined)
            parts.push(`below ${t.below}`);
        if (t.cel !== undefined)
            parts.push('when');
        return {
            metric: t.metric,
            text: t.resource
                ? `canary ${t.resource} ${parts.join(' or ')} of limits`
                : parts.join(' or '),
            cel: safeCel(() => (0,shorthand/* triggerToCel */.yd)({ above: t.above, below: t.below, cel: t.cel })),
            samples
        };
    });
    return {
        target: `${rollout.target.kind}/${rollout.target.name}`,
        canary: `${canary.kind}/${canary.name}`,
        route: rollout.route ? `${rollout.route.name}` : undefined,
        replicas: rollout.replicas,
        interval: rollout.interval,
        stages: [
            ...(rollout.infra?.length
                ? [
                    {
                        name: 'infra',
                        weight: 0,
                        hold: `${rollout.infra.length} step${rollout.infra.length === 1 ? '' : 's'}`
                    }
                ]
                : []),
            ...stages.map(s => ({ name: s.name, weight: s.weight, hold: s.hold }))
        ],
        metrics,
        triggers,
        onTrigger: rollout.onTrigger ?? 'none',
        budgetMs: (0,budgets/* budgetMs */.OU)(plan, 'rollout')
    };
}
/** The sum of the budgets on the way to `active`: reality check, tracers, plan, every phase, validation. */
function estimateToActive(plan) {
    const sized = ['reality-check', 'plan', 'validate'];
    const tracers = (plan.tracers ?? []).length > 0 ? (0,budgets/* budgetMs */.OU)(plan, 'tracer') : 0;
    const phases = (plan.phases ?? []).reduce((sum, p) => sum + (0,budgets/* phaseBudgetMs */.bb)(plan, p), 0);
    return sized.reduce((sum, g) => sum + (0,budgets/* budgetMs */.OU)(plan, g), 0) + tracers + phases;
}
async function approvalCheck(ctx, env) {
    const location = env.source === 'plan' ? ctx.loaded.locate(['approval', 'environment']) : undefined;
    if (!ctx.github)
        return (0,checks_result/* checkResult */.iJ)('approval', env.environment, {
            verdict: 'skip',
            message: `skipped: no GitHub context, so the approval environment "${env.environment}" was not read`,
            adjustment: 'In a workflow the plan gate reads the environment of the job after it and fails when it has no required reviewers or wait timer.',
            location
        });
    return checkApprovalEnvironment(ctx.github, env.environment, { clock: ctx.clock, location });
}
function approvalView(env, check) {
    const data = check.data ?? {};
    return {
        ...env,
        verdict: check.verdict,
        reviewers: Array.isArray(data.reviewers)
            ? data.reviewers.filter((r) => typeof r === 'string')
            : undefined,
        waitTimerMinutes: typeof data.waitTimerMinutes === 'number' ? data.waitTimerMinutes : undefined
    };
}
/** Everything the rendering needs, gathered from the plan, the earlier reports, the cluster and GitHub. */
async function gatherPlanView(ctx) {
    const plan = ctx.loaded.plan;
    const notes = [];
    const reports = ctx.earlier.filter(r => r.plan === plan.name);
    if (ctx.settings.reportsDir) {
        try {
            const found = await readPlanReports(ctx.settings.reportsDir, plan.name);
            reports.push(...found.reports);
            if (found.skipped.length)
                notes.push(`reports skipped: ${found.skipped.slice(0, 5).join('; ')}${found.skipped.length > 5 ? ` (and ${found.skipped.length - 5} more)` : ''}`);
        }
        catch (err) {
            notes.push(`cannot read the reports directory ${ctx.settings.reportsDir}: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
        }
    }
    const sourced = latestResults(reports, ['reality-check', 'tracer']);
    const { risks, unproven } = risksFrom(sourced);
    const evidence = [plan_evidenceOf('reality-check', sourced)];
    evidence.push((plan.tracers ?? []).length > 0
        ? plan_evidenceOf('tracer', sourced)
        : { gate: 'tracer', status: 'not-needed' });
    const env = approvalEnvironment(ctx.settings, plan);
    if (env.source === 'input' &&
        plan.approval?.environment &&
        plan.approval.environment !== env.environment)
        notes.push(`approval environment "${env.environment}" comes from the workflow; the plan names "${plan.approval.environment}"`);
    const [approval, live, phases] = await Promise.all([
        approvalCheck(ctx, env),
        readState(ctx),
        phaseViews(ctx)
    ]);
    const state = stateCheck(plan.name, ctx.namespace, live.index);
    const checks = [
        approval,
        ...evidence
            .filter(e => e.status !== 'not-needed')
            .map(e => evidenceCheck(e, ctx.runId, ctx.settings.runIdGiven)),
        state.check
    ];
    const view = {
        plan: plan.name,
        planFile: ctx.loaded.displayFile,
        target: {
            context: live.context ?? ctx.settings.context ?? plan.target.context,
            namespace: ctx.namespace,
            platform: plan.target.platform
        },
        owners: plan.owners ?? [],
        ticket: plan.ticket,
        approval: approvalView(env, approval),
        state: state.view,
        evidence,
        risks,
        unproven,
        phases,
        validation: {
            checks: plan.validation?.checks ?? [],
            rollbackTest: plan.validation?.rollbackTest ?? false
        },
        levels: levelViews(plan),
        rollout: plan.rollout ? rolloutView(plan, plan.rollout) : undefined,
        budgets: (0,budgets/* budgetTable */.Yd)(plan),
        estimateMs: estimateToActive(plan)
    };
    return { view, checks, notes };
}
const planGate = {
    name: 'plan',
    async run(ctx) {
        const started = ctx.clock.now();
        ctx.progress({ gate: 'plan', activity: 'rendering the plan' });
        const { view, checks, notes } = await gatherPlanView(ctx);
        const planMarkdown = renderPlan(view);
        return [
            (0,model/* gateResult */.xp)('plan', started, checks, {
                now: ctx.clock.now(),
                budgetMs: (0,budgets/* budgetMs */.OU)(ctx.loaded.plan, 'plan'),
                notes: notes.length ? notes : undefined,
                details: {
                    planMarkdown,
                    runbookMarkdown: await gateRunbook(ctx),
                    // For workflows: the phase matrix and the approval job's environment come from here.
                    phases: view.phases.map(p => p.name),
                    approvalEnvironment: view.approval.environment,
                    estimateMs: view.estimateMs,
                    risks: view.risks.length,
                    rolloutStages: view.rollout?.stages.map(s => s.name) ?? []
                }
            })
        ];
    }
};

// EXTERNAL MODULE: ./src/gates/phase.ts
var phase = __webpack_require__(179);
// EXTERNAL MODULE: ./src/notify/report-events.ts
var report_events = __webpack_require__(8293);
;// CONCATENATED MODULE: ./src/rollout/hold.ts
/**
 * A stage's hold: every interval, read every metric of `rollout.metrics` for
 * the canary and its baseline (the same query on the stable track), tell
 * traffic from no traffic by `requests`, and feed the rollback triggers. A
 * trigger ends the hold at once. When the hold has passed, a stage whose
 * canary never had traffic is inconclusive; a metric without data at the
 * last sample keeps the stage holding until the data comes back or the
 * dead-man's switch fires (no data is never a pass).
 */



function readingJson(r) {
    return (0,metrics_judge/* hasValue */.a4)(r) ? (0,metrics_judge/* jsonNumber */.qj)(r.value) : (0,metrics_judge/* describeReading */.YB)(r);
}
/** Reads every metric for both tracks at once. */
async function sample(metrics, queries, readers, signal) {
    const names = Object.keys(queries);
    const extra = readers?.read(signal);
    const readings = await Promise.all(names.map(async (name) => {
        const [canary, baseline] = await Promise.all([
            (0,metrics_judge/* readMetric */.Nk)(metrics, (0,prometheus/* withTrack */.eI)(queries[name], 'canary'), { signal }),
            (0,metrics_judge/* readMetric */.Nk)(metrics, (0,prometheus/* withTrack */.eI)(queries[name], 'stable'), { signal })
        ]);
        return [name, { canary, baseline }];
    }));
    const out = Object.fromEntries(readings);
    if (extra && readers) {
        const got = await extra;
        for (const name of readers.names)
            out[name] = { canary: got[name] ?? { kind: 'empty' } };
    }
    return out;
}
function trafficOf(m) {
    if (!m || !(0,metrics_judge/* hasValue */.a4)(m.canary))
        return 'unknown';
    return m.canary.value > 0 ? 'yes' : 'none';
}
/** Holds a stage while judging its metrics. */
async function holdStage(o) {
    const startedAt = o.clock.now();
    const names = [...Object.keys(o.queries), ...(o.readers?.names ?? [])];
    const judge = new metrics_judge/* TriggerJudge */.yp(o.triggers, names, startedAt);
    const ticks = [];
    let withTraffic = 0;
    let withoutTraffic = 0;
    let last;
    const holdEnd = startedAt + o.holdMs;
    const end = (result, message, firing) => {
        const endedAt = o.clock.now();
        return {
            result,
            message,
            firing,
            ticks,
            last,
            startedAt,
            endedAt,
            extendedMs: Math.max(0, endedAt - holdEnd),
            withTraffic,
            problems: judge.problems
        };
    };
    for (let k = 0;; k++) {
        const at = o.clock.now();
        let readings;
        try {
            readings = await sample(o.metrics, o.queries, o.readers, o.signal);
        }
        catch {
            return end('cancelled', 'cancelled while reading metrics');
        }
        last = readings;
        const traffic = o.queries.requests !== undefined ? trafficOf(readings.requests) : 'unknown';
        if (traffic === 'yes')
            withTraffic++;
        if (traffic === 'none')
            withoutTraffic++;
        const record = {
            at: new Date(at).toISOString(),
            traffic,
            metrics: Object.fromEntries(Object.entries(readings).map(([n, m]) => [
                n,
                {
                    canary: readingJson(m.canary),
                    ...(m.baseline ? { baseline: readingJson(m.baseline) } : {})
                }
            ]))
        };
        ticks.push(record);
        o.onTick?.(record);
        const firing = judge.observe({ at, traffic, metrics: readings });
        if (firing)
            return end('triggered', firing.message, firing);
        const now = o.clock.now();
        if (at >= holdEnd) {
            if (withTraffic === 0 && withoutTraffic > 0)
                return end('inconclusive', `no canary traffic (requests = 0) in any of ${ticks.length} samples over ${(0,duration/* formatDuration */.a3)(o.holdMs)}: inconclusive, the canary holds at its weight`);
            const missing = names.filter(n => judge.lastDataAt(n) < at && traffic !== 'none');
            if (missing.length === 0)
                return end('pass', `${ticks.length} samples over ${(0,duration/* formatDuration */.a3)(now - startedAt)}, no trigger fired`);
            if (now >= o.deadline)
                return end('no-data', `no data for ${missing.join(', ')} since ${new Date(Math.min(...missing.map(n => judge.lastDataAt(n)))).toISOString()}, and the rollout budget ran out before the data came back`);
        }
        else if (now >= o.deadline) {
            return end('budget', `the rollout budget ran out during the hold (${ticks.length} samples)`);
        }
        // Samples keep to a fixed schedule from the start; the last one lands on the hold's end.
        let next = startedAt + (k + 1) * o.intervalMs;
        if (next > holdEnd && at < holdEnd)
            next = holdEnd;
        next = Math.min(next, Math.max(o.deadline, now));
        try {
            await o.clock.sleep(Math.max(0, next - o.clock.now()), o.signal);
        }
        catch {
            return end('cancelled', 'cancelled during the hold');
        }
    }
}

// EXTERNAL MODULE: ./src/helm/release.ts
var release = __webpack_require__(9777);
// EXTERNAL MODULE: ./src/kube/evidence.ts
var evidence = __webpack_require__(2804);
// EXTERNAL MODULE: ./src/kube/wait.ts
var wait = __webpack_require__(8368);
;// CONCATENATED MODULE: ./src/rollout/code-level.ts
/**
 * Rollback level `code`: the workload back to its last known-good revision.
 * A Deployment gets the pod template of an earlier ReplicaSet, as
 * `kubectl rollout undo` does: the last known-good revision recorded in the
 * state record when there is one, else the newest earlier revision running
 * other images (a restart only changes an annotation), else the one before.
 * It is verified by what it ends on: the Deployment Current, its current
 * ReplicaSet the one with that template's pod-template-hash and images, and
 * its pods on that hash and ready. A Helm release is rolled back with
 * `helm rollback` and verified the same way (revision, chart, objects
 * Current); a command (a revert-and-deploy) is judged by its exit code.
 */









const REVISION = 'deployment.kubernetes.io/revision';
const HASH = 'pod-template-hash';
function revisionOf(o) {
    return Number(o?.metadata.annotations?.[REVISION] ?? 0) || 0;
}
function hashOf(o) {
    return o?.metadata.labels?.[HASH];
}
/** Runs the code level. */
async function runCodeLevel(run) {
    const { ctx, spec } = run;
    if (spec.command) {
        const r = await ctx.exec.run(spec.command.run, {
            shell: spec.command.shell,
            cwd: ctx.loaded.dir,
            timeoutMs: Math.max(1000, run.deadline - ctx.clock.now()),
            signal: ctx.signal,
            env: {
                PHASE_GATE_NAMESPACE: ctx.namespace,
                PHASE_GATE_RUN_ID: ctx.runId,
                PHASE_GATE_LEVEL: 'code'
            }
        });
        const ok = r.exitCode === 0 && !r.timedOut && !r.spawnError;
        return {
            ok,
            message: ok
                ? `code rollback command succeeded (${spec.command.run.join(' ')})`
                : `code rollback command failed (${r.spawnError ?? (r.timedOut ? 'timed out' : `exit ${r.exitCode}`)})`,
            evidence: (r.stderr || r.stdout).trim().slice(-2000) || undefined,
            data: { command: spec.command.run, exitCode: r.exitCode }
        };
    }
    if (spec.helm) {
        const helm = new helm_helm/* Helm */.f5({
            exec: ctx.exec,
            namespace: ctx.namespace,
            kubeconfig: ctx.settings.kubeconfig.kind === 'path' ? ctx.settings.kubeconfig.path : undefined,
            context: ctx.settings.context ?? ctx.loaded.plan.target.context,
            signal: ctx.signal
        });
        const r = await (0,release/* rollbackRelease */.w6)(helm, run.cluster, spec.helm.release, {
            deadline: run.deadline,
            clock: ctx.clock,
            signal: ctx.signal,
            dryRun: ctx.settings.dryRun
        });
        return { ok: r.ok, message: r.message, evidence: r.evidence, data: r.data };
    }
    const ref = workloadRef(spec.target, ctx.namespace);
    if (ref.kind !== 'Deployment')
        return {
            ok: false,
            message: `code rollback of a ${ref.kind} is not built in: only Deployments (and Helm releases) are undone to an earlier revision`,
            adjustment: 'use `helm: {release}` or a `command` (a revert-and-deploy) for this level'
        };
    return undoDeployment(run, ref);
}
/** Picks the ReplicaSet to go back to: last known-good (state record), else the previous revision. */
function pickRevision(owned, current, lastKnownGood) {
    const others = owned.filter(rs => rs !== current && hashOf(rs) !== hashOf(current));
    const byRevision = [...others].sort((a, b) => revisionOf(b) - revisionOf(a));
    if (lastKnownGood?.revision) {
        const rs = byRevision.find(r => String(revisionOf(r)) === lastKnownGood.revision);
        if (rs)
            return { rs, why: `last known-good revision ${lastKnownGood.revision} (state record)` };
    }
    if (lastKnownGood?.image) {
        const rs = byRevision.find(r => imagesOf(podTemplateOf(r)).includes(lastKnownGood.image));
        if (rs)
            return { rs, why: `last known-good image ${lastKnownGood.image} (state record)` };
    }
    const below = byRevision.filter(r => revisionOf(r) < revisionOf(current));
    // Code rollback means other code: a revision that only differs by an annotation (a restart)
    // runs the same images, so the newest earlier revision with other images is preferred.
    const images = imagesOf(podTemplateOf(current)).join(',');
    const otherCode = below.find(r => imagesOf(podTemplateOf(r)).join(',') !== images);
    if (otherCode)
        return {
            rs: otherCode,
            why: `the newest revision before ${revisionOf(current)} with other images`
        };
    const rs = below[0];
    return rs ? { rs, why: `the revision before ${revisionOf(current)}` } : undefined;
}
async function undoDeployment(run, ref) {
    const { ctx, cluster } = run;
    const dep = await cluster.get(ref);
    if (!dep)
        return { ok: false, message: `${(0,types/* describeRef */.Ro)(ref)} not found` };
    const selector = (0,pod_failures/* labelSelectorOf */.P5)(dep);
    const listRs = async (d) => (await cluster.list('apps/v1', 'ReplicaSet', {
        namespace: ref.namespace,
        labelSelector: selector
    })).items.filter(rs => (0,pod_failures/* ownedBy */.LW)(rs, d));
    const owned = await listRs(dep);
    const current = (0,pod_failures/* currentReplicaSet */.kw)(dep, owned);
    const index = await run.record.readIndex().catch(() => undefined);
    const key = `${ref.kind}/${ref.name}`;
    const lkg = index?.lastKnownGood;
    const pick = pickRevision(owned, current, {
        image: lkg?.images?.[key],
        revision: lkg?.revisions?.[key]
    });
    const from = {
        revision: revisionOf(current),
        hash: hashOf(current),
        images: imagesOf(podTemplateOf(current) ?? podTemplateOf(dep))
    };
    if (!pick)
        return {
            ok: false,
            message: `${(0,types/* describeRef */.Ro)(ref)} has no earlier ReplicaSet to go back to (revision ${from.revision} is the only one kept)`,
            adjustment: 'keep history (spec.revisionHistoryLimit > 0), or give this level a helm release or a command',
            data: { from }
        };
    const target = pick.rs;
    const to = {
        revision: revisionOf(target),
        hash: hashOf(target),
        images: imagesOf(podTemplateOf(target))
    };
    const template = structuredClone(podTemplateOf(target) ?? {});
    if (template.metadata?.labels)
        delete template.metadata.labels[HASH];
    for (let attempt = 0;; attempt++) {
        const live = (await cluster.get(ref));
        const next = { ...live, spec: { ...live.spec, template } };
        try {
            await cluster.replace(next, { dryRun: ctx.settings.dryRun });
            break;
        }
        catch (err) {
            if (!(err instanceof types/* KubeApiError */.W3 && err.status === 409) || attempt >= 5)
                throw err;
        }
    }
    if (ctx.settings.dryRun)
        return {
            ok: true,
            message: `dry run: the server accepts ${(0,types/* describeRef */.Ro)(ref)} back on revision ${to.revision} (${to.images.join(', ')}), chosen as ${pick.why}`,
            data: { from, to }
        };
    const w = await (0,wait/* waitForObjects */.Ld)(cluster, [ref], {
        timeoutMs: Math.max(0, run.deadline - ctx.clock.now()),
        clock: ctx.clock,
        signal: ctx.signal,
        failFast: true
    });
    const after = await cluster.get(ref);
    const ownedAfter = after ? await listRs(after) : [];
    const cur = after ? (0,pod_failures/* currentReplicaSet */.kw)(after, ownedAfter) : undefined;
    const pods = after
        ? (0,pod_failures/* currentPods */.Qc)(after, (await cluster.list('v1', 'Pod', { namespace: ref.namespace, labelSelector: selector }))
            .items, ownedAfter)
        : [];
    const readyPods = pods.filter(p => (p.status?.conditions ??
        []).some(c => c.type === 'Ready' && c.status === 'True'));
    const now = { revision: revisionOf(cur), hash: hashOf(cur), images: imagesOf(podTemplateOf(cur)) };
    const problems = [];
    if (w.result !== 'done')
        problems.push(w.message);
    if (now.hash !== to.hash)
        problems.push(`its current ReplicaSet has pod-template-hash ${now.hash ?? 'none'}, not ${to.hash}`);
    if (now.images.join(',') !== to.images.join(','))
        problems.push(`it runs ${now.images.join(', ')}, not ${to.images.join(', ')}`);
    if (pods.some(p => hashOf(p) !== to.hash))
        problems.push('some current pods are on another template');
    const data = {
        from,
        to,
        now,
        chosen: pick.why,
        pods: { current: pods.length, ready: readyPods.length }
    };
    if (problems.length)
        return {
            ok: false,
            message: `${(0,types/* describeRef */.Ro)(ref)} not verified back on revision ${to.revision}: ${problems.join('; ')}`,
            evidence: await (0,evidence/* collectEvidence */.m)(cluster, ref).then(evidence/* formatEvidence */.V, e => `evidence unavailable: ${(0,core_errors/* errorMessage */.gJ)(e)}`),
            data
        };
    return {
        ok: true,
        message: `${(0,types/* describeRef */.Ro)(ref)} back on the template of revision ${to.revision} (${to.images.join(', ')}, pod-template-hash ${to.hash}; now revision ${now.revision}), was revision ${from.revision} (${from.images.join(', ')}); ${readyPods.length} of ${pods.length} pods ready, in ${(0,duration/* formatDuration */.a3)(w.durationMs)} after the undo; chosen as ${pick.why}`,
        data
    };
}

// EXTERNAL MODULE: ./src/kube/undo.ts
var undo = __webpack_require__(2511);
;// CONCATENATED MODULE: ./src/rollout/config-level.ts
/**
 * Rollback level `config`: put the named ConfigMaps and Secrets back to the
 * version recorded before the deployment changed them, then restart the
 * workloads that mount them and wait until they are ready again.
 *
 * The recorded version comes from the state record: the phase gate writes
 * the live objects it is about to change into the run's Secret before it
 * applies. The newest phase record (this run first, then the runs of the
 * index, newest first) that lists the object gives its `before`. An object
 * that phase created has no earlier version: that is reported, not guessed.
 * Secret values never reach the report; only key names do.
 */





/** The newest recorded version of an object: this run first, then the index's runs newest first. */
async function findRecordedVersion(record, ref, runId, cache = new Map()) {
    const index = await record.readIndex();
    const runs = [runId, ...index.runs.map(r => r.runId).reverse()].filter((r, i, all) => all.indexOf(r) === i);
    for (const run of runs) {
        let phases = cache.get(run);
        if (!phases) {
            phases = await record.readPhases(run);
            cache.set(run, phases);
        }
        const newestFirst = [...phases].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
        for (const p of newestFirst) {
            const hit = p.objects.find(o => o.ref.kind === ref.kind &&
                o.ref.name === ref.name &&
                (o.ref.namespace ?? ref.namespace) === ref.namespace);
            if (hit)
                return { runId: run, phase: p.phase, applied: hit };
        }
    }
    return undefined;
}
/** Restores `before` onto the live object (full replace on its resourceVersion; create when gone). */
async function restore(run, before) {
    const { cluster } = run;
    const dryRun = run.ctx.settings.dryRun;
    for (let attempt = 0;; attempt++) {
        const live = await cluster.get({
            apiVersion: before.apiVersion,
            kind: before.kind,
            name: before.metadata.name,
            namespace: before.metadata.namespace
        });
        try {
            if (!live)
                await cluster.create(before, { dryRun });
            else
                await cluster.replace({
                    ...before,
                    metadata: { ...before.metadata, resourceVersion: live.metadata.resourceVersion }
                }, { dryRun });
            return;
        }
        catch (err) {
            if (!(err instanceof types/* KubeApiError */.W3 && err.status === 409) || attempt >= 5)
                throw err;
        }
    }
}
function changedKeys(live, before) {
    const flat = (o) => ({
        ...(o?.data ?? {}),
        ...(o?.binaryData ?? {})
    });
    const a = flat(live);
    const b = flat(before);
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(k => a[k] !== b[k]).sort();
}
/** Runs the config level. */
async function runConfigLevel(run) {
    const { ctx, cluster, spec, record, deadline } = run;
    const ns = ctx.namespace;
    const wanted = [
        ...(spec.configMaps ?? []).map(name => ({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            name,
            namespace: ns
        })),
        ...(spec.secrets ?? []).map(name => ({ apiVersion: 'v1', kind: 'Secret', name, namespace: ns }))
    ];
    const cache = new Map();
    const found = [];
    const problems = [];
    for (const ref of wanted) {
        const version = await findRecordedVersion(record, ref, ctx.runId, cache);
        if (!version)
            problems.push(`no recorded version of ${ref.kind} ${ref.name} in the state record (only objects a phase applied are recorded)`);
        else if (version.applied.created || !version.applied.before)
            problems.push(`${ref.kind} ${ref.name} did not exist before phase ${version.phase} of run ${version.runId}: there is no earlier version to restore`);
        else
            found.push({ ref, version, before: version.applied.before });
    }
    if (problems.length)
        return {
            ok: false,
            message: problems.join('; '),
            adjustment: 'apply the ConfigMaps and Secrets through a phase (which records their previous version), or restore them by hand',
            data: { missing: problems }
        };
    const lines = [];
    for (const f of found) {
        const live = await cluster.get(f.ref);
        const keys = changedKeys(live, f.before);
        await restore(run, f.before);
        lines.push(`${ctx.settings.dryRun ? 'would restore' : 'restored'} ${f.ref.kind} ${f.ref.name} to its version before phase ${f.version.phase} of run ${f.version.runId}${keys.length ? ` (keys changed: ${keys.join(', ')})` : ' (it already matched)'}`);
    }
    const restoredWords = found.map(f => `${f.ref.kind} ${f.ref.name}`).join(', ');
    if (ctx.settings.dryRun)
        return {
            ok: true,
            message: `dry run: the server accepts restoring ${restoredWords}`,
            evidence: lines.join('\n')
        };
    const mismatched = [];
    for (const f of found) {
        const live = await cluster.get(f.ref);
        if (!live || !(0,undo/* matchesRecorded */.A)(live, f.before))
            mismatched.push(`${f.ref.kind} ${f.ref.name}`);
    }
    if (mismatched.length)
        return {
            ok: false,
            message: `${mismatched.join(', ')} differ${mismatched.length === 1 ? 's' : ''} from the recorded version after the restore`,
            evidence: lines.join('\n')
        };
    const consumers = await consumersOf(cluster, ns, {
        configMaps: spec.configMaps,
        secrets: spec.secrets
    });
    const refs = consumers.map(c => c.ref);
    let ready = '';
    if (refs.length) {
        await restartWorkloads(cluster, refs, new Date(ctx.clock.now()));
        const w = await (0,wait/* waitForObjects */.Ld)(cluster, refs, {
            timeoutMs: Math.max(0, deadline - ctx.clock.now()),
            clock: ctx.clock,
            signal: ctx.signal,
            failFast: true
        });
        if (w.result !== 'done')
            return {
                ok: false,
                message: `restored ${restoredWords}, but the restarted workloads are not ready: ${w.message}`,
                evidence: lines.join('\n'),
                data: {
                    restored: found.map(f => `${f.ref.kind}/${f.ref.name}`),
                    restarted: refs.map(describeWorkload)
                }
            };
        ready = `; restarted ${refs.map(describeWorkload).join(', ')}, ready in ${(0,duration/* formatDuration */.a3)(w.durationMs)}`;
        lines.push(`restarted ${refs.map(describeWorkload).join(', ')} (pod template annotation phase-gate.dev/restartedAt)`);
    }
    else
        lines.push('no Deployment, StatefulSet or DaemonSet in the namespace mounts them: nothing to restart');
    return {
        ok: true,
        message: `restored ${restoredWords} to their recorded versions, verified${ready}`,
        evidence: lines.join('\n'),
        data: {
            restored: found.map(f => ({
                object: `${f.ref.kind}/${f.ref.name}`,
                runId: f.version.runId,
                phase: f.version.phase
            })),
            restarted: refs.map(describeWorkload)
        }
    };
}

;// CONCATENATED MODULE: ./src/rollout/flag-level.ts
/**
 * Rollback level `flag`: turn the feature off. Either a ConfigMap key is
 * set (merge patch) and read back, or a command talks to an external flag
 * service (its exit code is the verification). A ConfigMap key only reaches
 * a pod that reads it as a mounted file: pods that read it through env or a
 * subPath mount keep the old value until they restart, which this level
 * reports as a warning naming them instead of restarting them (restarting
 * is the config level's job, and a flag is meant to act without one).
 */


/** Runs the flag level. */
async function runFlagLevel({ ctx, cluster, spec, deadline }) {
    if (spec.command) {
        const r = await ctx.exec.run(spec.command.run, {
            shell: spec.command.shell,
            cwd: ctx.loaded.dir,
            timeoutMs: Math.max(1000, deadline - ctx.clock.now()),
            signal: ctx.signal,
            env: {
                PHASE_GATE_NAMESPACE: ctx.namespace,
                PHASE_GATE_RUN_ID: ctx.runId,
                PHASE_GATE_LEVEL: 'flag',
                ...(spec.key ? { PHASE_GATE_FLAG_KEY: spec.key } : {}),
                ...(spec.value !== undefined ? { PHASE_GATE_FLAG_VALUE: spec.value } : {})
            }
        });
        const ok = r.exitCode === 0 && !r.timedOut && !r.spawnError;
        return {
            ok,
            message: ok
                ? `flag command succeeded (${spec.command.run.join(' ')})`
                : `flag command failed (${r.spawnError ?? (r.timedOut ? 'timed out' : `exit ${r.exitCode}`)}): ${spec.command.run.join(' ')}`,
            evidence: (r.stderr || r.stdout).trim().slice(-2000) || undefined,
            data: { command: spec.command.run, exitCode: r.exitCode }
        };
    }
    const name = spec.configMap;
    const key = spec.key;
    const value = spec.value;
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name, namespace: ctx.namespace };
    const live = await cluster.get(ref);
    if (!live)
        return {
            ok: false,
            message: `ConfigMap ${name} not found in namespace ${ctx.namespace}`,
            adjustment: 'create the flags ConfigMap with the deployment, or point rollbackLevels.configMap at the one the application reads'
        };
    const previous = dataOf(live)[key];
    if (ctx.settings.dryRun) {
        await cluster.mergePatch(ref, { data: { [key]: value } }, { dryRun: true });
        return {
            ok: true,
            message: `dry run: the server accepts ${key}=${value} in ConfigMap ${name} (now ${show(previous)})`
        };
    }
    await cluster.mergePatch(ref, { data: { [key]: value } });
    const back = await cluster.get(ref);
    const now = back ? dataOf(back)[key] : undefined;
    if (now !== value)
        return {
            ok: false,
            message: `ConfigMap ${name} holds ${key}=${show(now)} after setting it to "${value}"`,
            adjustment: 'another controller may own the key (check managedFields); set the flag where it is owned'
        };
    const consumers = await consumersOf(cluster, ctx.namespace, { configMaps: [name] }).catch(err => {
        ctx.log.warn(`flag level: could not list the workloads reading ConfigMap ${name}: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
        return [];
    });
    const stale = consumers.filter(c => c.uses.some(u => u.use !== 'volume'));
    const mounted = consumers.filter(c => c.uses.every(u => u.use === 'volume'));
    const parts = [`${key}=${value} in ConfigMap ${name} (was ${show(previous)}), read back`];
    if (mounted.length)
        parts.push(`${mounted.map(c => describeWorkload(c.ref)).join(', ')} mount${mounted.length === 1 ? 's' : ''} it as a volume: the kubelet updates the file within its sync period (about a minute)`);
    if (stale.length)
        parts.push(`${stale.map(c => `${describeWorkload(c.ref)} (${[...new Set(c.uses.map(u => u.use))].join(', ')})`).join(', ')} keep${stale.length === 1 ? 's' : ''} the old value until restarted`);
    return {
        ok: true,
        verdict: stale.length ? 'warn' : undefined,
        message: parts.join('; '),
        adjustment: stale.length
            ? 'read the flag from a mounted file (not env or subPath) so it applies without a restart, or use the config level, which restarts what mounts the ConfigMap'
            : undefined,
        data: {
            configMap: name,
            key,
            value,
            previous: previous ?? null,
            consumers: consumers.map(c => ({
                workload: describeWorkload(c.ref),
                uses: c.uses.map(u => u.use)
            })),
            restartNeeded: stale.map(c => describeWorkload(c.ref))
        }
    };
}
function dataOf(obj) {
    return obj.data ?? {};
}
function show(v) {
    return v === undefined ? 'unset' : `"${v}"`;
}

;// CONCATENATED MODULE: ./src/rollout/levels.ts
/**
 * Rollback levels, cheapest first: `flag` (turn the feature off), `config`
 * (restore the recorded ConfigMaps/Secrets and restart what mounts them),
 * `code` (the workload or Helm release back to its last known-good
 * revision). Each level runs within its own budget (default flag 1m, config
 * 5m, code 15m), is verified, and reports its time against the budget:
 * "flag rollback in 0.80s of 1m00s". Code rollback is refused while a
 * migration of the deployment cannot be reversed; flag and config are
 * offered instead.
 */








/** Runs a level, timed against its budget; never throws (a throw is an error result). */
async function runRollbackLevel(ctx, cluster, spec, index) {
    const budget = (0,budgets/* levelBudgetMs */.Cu)(spec);
    const started = ctx.clock.now();
    const location = ctx.loaded.locate(['rollbackLevels', index]);
    const record = new state_record/* StateRecord */.l(cluster, ctx.loaded.plan.name, ctx.namespace, ctx.loaded.plan.state?.keepRuns);
    let outcome;
    try {
        const frozen = spec.level === 'code' ? await migrationFreeze(ctx, record) : undefined;
        if (frozen) {
            const others = (ctx.loaded.plan.rollbackLevels ?? [])
                .filter(l => l.level !== 'code')
                .map(l => l.level);
            outcome = {
                ok: false,
                message: `code rollback refused: ${frozen}`,
                adjustment: others.length
                    ? `the old code cannot run on the migrated schema; use --level ${others.join(' or --level ')} instead, or roll the migration forward`
                    : 'the old code cannot run on the migrated schema; add a flag or config rollback level, or roll the migration forward',
                data: { refused: true, reason: frozen, offered: others }
            };
        }
        else {
            const run = { ctx, cluster, spec, record, deadline: started + budget };
            outcome =
                spec.level === 'flag'
                    ? await runFlagLevel(run)
                    : spec.level === 'config'
                        ? await runConfigLevel(run)
                        : await runCodeLevel(run);
        }
    }
    catch (err) {
        outcome = {
            ok: false,
            verdict: ctx.signal.aborted ? 'cancelled' : 'error',
            message: `could not run the ${spec.level} rollback: ${(0,core_errors/* errorMessage */.gJ)(err)}`
        };
    }
    const took = ctx.clock.now() - started;
    const within = took <= budget;
    const verdict = outcome.verdict ?? (outcome.ok ? (within ? 'pass' : 'fail') : 'fail');
    const timing = `${spec.level} rollback in ${(0,duration/* formatDuration */.a3)(took)} of ${(0,duration/* formatDuration */.a3)(budget)}`;
    return (0,checks_result/* checkResult */.iJ)('rollback', spec.level, {
        verdict,
        message: outcome.ok
            ? `${timing}${within ? '' : ' (over budget)'}: ${outcome.message}`
            : `${spec.level} rollback failed after ${(0,duration/* formatDuration */.a3)(took)} (budget ${(0,duration/* formatDuration */.a3)(budget)}): ${outcome.message}`,
        evidence: outcome.evidence,
        adjustment: outcome.adjustment ??
            (outcome.ok && !within
                ? `the ${spec.level} rollback took longer than its budget; raise rollbackLevels[${index}].budget or make the level faster`
                : undefined),
        data: {
            level: spec.level,
            durationMs: took,
            budgetMs: budget,
            withinBudget: within,
            ...outcome.data
        },
        location,
        durationMs: took
    });
}
/**
 * Why code rollback must not run, if it must not: a phase of the deployed
 * run has a migration without a down step, or a migration check of this
 * deployment found the migration irreversible.
 */
async function migrationFreeze(ctx, record) {
    const index = await record.readIndex().catch(() => undefined);
    const run = index?.runs.find(r => r.runId === ctx.runId) ?? index?.runs[index.runs.length - 1];
    const ranPhases = new Set(run?.phases ?? []);
    for (const phase of ctx.loaded.plan.phases ?? []) {
        if (!phase.migration || !ranPhases.has(phase.name))
            continue;
        if (!phase.migration.down?.length)
            return `phase ${phase.name} ran a migration (${phase.migration.up.join(' ')}) that has no down step`;
    }
    for (const report of ctx.earlier) {
        for (const gate of report.gates) {
            for (const c of gate.checks) {
                if (c.kind !== 'migration' || c.data?.reversible !== false || c.verdict === 'cancelled')
                    continue;
                // A failing `up` migrated nothing; only a failing down (or up after down) is irreversible.
                const steps = (c.data.steps ?? []);
                const failed = steps.find(st => st.exitCode !== 0 || st.timedOut);
                if (failed?.step === 'up')
                    continue;
                return `the migration check ${c.target} found the migration irreversible (${c.message})`;
            }
        }
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/rollout/resource-share.ts
/**
 * The canary's share of its limits, read each sample of a stage's hold for
 * the `resource:` rollback triggers: the canary workload's pods (by its
 * selector, listed anew each sample since the replica ratio replaces them),
 * their limits, and cAdvisor's use of each container from Prometheus. The
 * value is the highest share of any container. A container without a limit
 * is not judged (the gate says so once); no cAdvisor series, no pods or no
 * limit at all is no data, which only the dead-man's switch acts on.
 */






/**
 * CPU use now: irate over the last two scrapes within 1m (a few scrapes at the usual 15–30 s
 * cAdvisor interval). A rate would under-read a canary younger than its window; the trigger's
 * samples/of is what smooths a spike.
 */
const CANARY_CPU_RATE = { fn: 'irate', window: '1m' };
/** The resources a rollout's triggers judge against limits, in plan order. */
function judgedResources(rollout) {
    const out = [];
    for (const t of rollout.rollbackIf ?? [])
        if (t.resource && !out.includes(t.resource))
            out.push(t.resource);
    return out;
}
function live(p) {
    const phase = p.status?.phase;
    return !p.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}
/** Reads the canary's highest share of each resource's limits, once per sample. */
function canaryShareReader(o) {
    const ref = workloadRef(canaryWorkload(o.rollout), o.namespace);
    const unlimited = new Map();
    const every = (reading) => Object.fromEntries(o.resources.map(r => [(0,metrics_judge/* resourceMetric */.P$)(r), reading]));
    return {
        names: o.resources.map(metrics_judge/* resourceMetric */.P$),
        unlimited,
        async read(signal) {
            let pods;
            try {
                const workload = await o.cluster.get(ref);
                if (!workload)
                    return every({ kind: 'empty', reason: `canary ${(0,types/* describeRef */.Ro)(ref)} not found` });
                const selector = (0,pod_failures/* labelSelectorOf */.P5)(workload);
                if (!selector)
                    return every({ kind: 'empty', reason: `canary ${(0,types/* describeRef */.Ro)(ref)} has no selector` });
                pods = (await o.cluster.list('v1', 'Pod', { namespace: o.namespace, labelSelector: selector })).items.filter(live);
            }
            catch (err) {
                if (signal?.aborted)
                    throw err;
                return every({
                    kind: 'unavailable',
                    message: `canary pods not read: ${(0,core_errors/* errorMessage */.gJ)(err)}`
                });
            }
            for (const r of o.resources)
                for (const k of unlimitedContainers(pods, r)) {
                    const set = unlimited.get(r) ?? new Set();
                    set.add(k.slice(k.indexOf('/') + 1));
                    unlimited.set(r, set);
                }
            const use = await readResourceUse(() => o.metrics, o.namespace, pods, {
                signal,
                cpuRate: CANARY_CPU_RATE,
                resources: o.resources
            });
            const out = {};
            for (const r of o.resources) {
                const name = (0,metrics_judge/* resourceMetric */.P$)(r);
                switch (use.kind) {
                    case 'no-pods':
                        out[name] = { kind: 'empty', reason: `no canary pods of ${(0,types/* describeRef */.Ro)(ref)}` };
                        break;
                    case 'no-limits':
                        out[name] = { kind: 'empty', reason: `no canary container sets a ${r} limit` };
                        break;
                    case 'no-prometheus':
                        out[name] = { kind: 'unavailable', message: 'no Prometheus configured' };
                        break;
                    case 'unavailable':
                        out[name] = { kind: 'unavailable', message: use.message };
                        break;
                    case 'no-series':
                    case 'ok': {
                        const uses = use.kind === 'ok' ? use.uses.filter(u => u.resource === r) : [];
                        const limited = uses.filter(u => u.share !== undefined);
                        if (limited.length === 0) {
                            out[name] = {
                                kind: 'empty',
                                reason: ![...containerLimits(pods).values()].some(l => l[r] !== undefined)
                                    ? `no canary container sets a ${r} limit`
                                    : `no ${CADVISOR_SERIES[r]} series for the canary's limited containers in ${use.url} (cAdvisor not scraped?)`
                            };
                            break;
                        }
                        const top = limited.reduce((a, b) => ((b.share ?? 0) > (a.share ?? 0) ? b : a));
                        out[name] = {
                            kind: 'value',
                            value: top.share ?? 0,
                            labels: { pod: top.pod, container: top.container },
                            detail: `${top.pod}/${top.container} ${describeUse(top.value, top.limit ?? 0, r)} (${formatShare(top.share ?? 0)})`
                        };
                    }
                }
            }
            return out;
        }
    };
}

;// CONCATENATED MODULE: ./src/rollout/replica-ratio.ts
/**
 * Replica-ratio traffic shifting: behind one Service, the share of traffic
 * a track gets is its share of the ready pods. The canary gets
 * ceil(weight% × replicas) and the stable workload the rest; both are scaled
 * through the `scale` subresource (as `kubectl scale` does) and must be
 * Available before the shift counts. Capacity comes first: the side growing
 * is scaled and ready before the other shrinks, except in a rollback, where
 * both move at once.
 */







function replicasOf(obj) {
    const r = obj?.spec?.replicas;
    return typeof r === 'number' ? r : obj ? 1 : 0;
}
function availableOf(obj) {
    const a = obj?.status?.availableReplicas;
    return typeof a === 'number' ? a : 0;
}
/** Shifts traffic by scaling the stable and canary workloads. */
class ReplicaRatioShifter {
    cluster;
    clock;
    mode = 'replicas';
    stable;
    canary;
    /** Total replicas, from the plan or (first shift) the two workloads' sum. */
    total;
    constructor(cluster, rollout, namespace, clock) {
        this.cluster = cluster;
        this.clock = clock;
        this.stable = workloadRef(rollout.target, namespace);
        this.canary = workloadRef(canaryWorkload(rollout), namespace);
        this.total = rollout.replicas;
    }
    describe() {
        return `replicas of ${this.stable.kind} ${this.stable.name} / ${this.canary.name}`;
    }
    async shift(weight, opts) {
        const started = this.clock.now();
        const deadline = started + opts.timeoutMs;
        const left = () => Math.max(0, deadline - this.clock.now());
        const [stable, canary] = await Promise.all([
            this.cluster.get(this.stable),
            this.cluster.get(this.canary)
        ]);
        const missing = !stable ? this.stable : !canary ? this.canary : undefined;
        if (missing)
            return this.outcome(started, false, weight, `${(0,types/* describeRef */.Ro)(missing)} not found`, {
                evidence: missing === this.canary
                    ? 'apply the new version as the canary workload (rollout.canary, default <target>-canary) before the rollout'
                    : undefined
            });
        this.total ??= replicasOf(stable) + replicasOf(canary);
        const total = Math.max(1, this.total);
        const wantCanary = canaryReplicas(weight, total);
        const wantStable = total - wantCanary;
        const data = {
            mode: 'replicas',
            total,
            canary: { name: this.canary.name, replicas: wantCanary, was: replicasOf(canary) },
            stable: { name: this.stable.name, replicas: wantStable, was: replicasOf(stable) }
        };
        const steps = [
            [this.canary, wantCanary, replicasOf(canary)],
            [this.stable, wantStable, replicasOf(stable)]
        ];
        try {
            if (opts.urgent) {
                await Promise.all(steps.map(([ref, n, was]) => (n === was ? undefined : this.scale(ref, n))));
            }
            else {
                // Grow first, shrink second: the traffic never lands on fewer pods than before.
                const ordered = [...steps].sort((a, b) => b[1] - b[2] - (a[1] - a[2]));
                for (const [ref, n, was] of ordered) {
                    if (n === was)
                        continue;
                    await this.scale(ref, n);
                    if (n > was) {
                        const w = await (0,wait/* waitForObjects */.Ld)(this.cluster, [ref], {
                            timeoutMs: left(),
                            clock: this.clock,
                            signal: opts.signal,
                            failFast: true
                        });
                        if (w.result !== 'done')
                            return this.outcome(started, false, weight, `${(0,types/* describeRef */.Ro)(ref)} did not become available at ${n} replicas: ${w.message}`, {
                                data,
                                evidence: await this.evidence(ref)
                            });
                    }
                }
            }
        }
        catch (err) {
            return this.outcome(started, false, weight, `scaling failed: ${(0,core_errors/* errorMessage */.gJ)(err)}`, { data });
        }
        // Verification: both workloads Current at the replicas asked for. In a rollback the canary
        // is not waited on with fail-fast (its pods may be what is failing, and they are going away).
        const [vs, vc] = await Promise.all([
            (0,wait/* waitForObjects */.Ld)(this.cluster, [this.stable], {
                timeoutMs: left(),
                clock: this.clock,
                signal: opts.urgent ? undefined : opts.signal,
                failFast: true
            }),
            (0,wait/* waitForObjects */.Ld)(this.cluster, [this.canary], {
                timeoutMs: left(),
                clock: this.clock,
                signal: opts.urgent ? undefined : opts.signal,
                failFast: !opts.urgent
            })
        ]);
        const [s2, c2] = await Promise.all([
            this.cluster.get(this.stable),
            this.cluster.get(this.canary)
        ]);
        const problems = [];
        if (vs.result !== 'done')
            problems.push(`${(0,types/* describeRef */.Ro)(this.stable)}: ${vs.message}`);
        if (vc.result !== 'done')
            problems.push(`${(0,types/* describeRef */.Ro)(this.canary)}: ${vc.message}`);
        if (replicasOf(s2) !== wantStable)
            problems.push(`${this.stable.name} has ${replicasOf(s2)} replicas, not ${wantStable}`);
        if (replicasOf(c2) !== wantCanary)
            problems.push(`${this.canary.name} has ${replicasOf(c2)} replicas, not ${wantCanary}`);
        if (problems.length === 0 && availableOf(s2) < wantStable)
            problems.push(`${this.stable.name} has ${availableOf(s2)} of ${wantStable} replicas available`);
        if (problems.length === 0 && availableOf(c2) < wantCanary)
            problems.push(`${this.canary.name} has ${availableOf(c2)} of ${wantCanary} replicas available`);
        const summary = `canary ${this.canary.name} ${wantCanary} of ${total} replicas, stable ${this.stable.name} ${wantStable}`;
        if (problems.length)
            return this.outcome(started, false, weight, `shift to ${weight}% not verified (${summary}): ${problems.join('; ')}`, {
                data,
                evidence: await this.evidence(vc.result !== 'done' ? this.canary : this.stable)
            });
        return this.outcome(started, true, weight, `canary at ${weight}% (${summary}), both available in ${(0,duration/* formatDuration */.a3)(this.clock.now() - started)}`, { data: { ...data, available: { canary: availableOf(c2), stable: availableOf(s2) } } });
    }
    async scale(ref, replicas) {
        await this.cluster.mergePatch(ref, { spec: { replicas } }, { subresource: 'scale' });
    }
    async evidence(ref) {
        return (0,evidence/* collectEvidence */.m)(this.cluster, ref).then(evidence/* formatEvidence */.V, err => `evidence unavailable: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
    }
    outcome(started, ok, weight, message, extra = {}) {
        return {
            ok,
            weight,
            message,
            evidence: extra.evidence,
            data: extra.data ?? {},
            durationMs: this.clock.now() - started
        };
    }
}

;// CONCATENATED MODULE: ./src/rollout/route-weights.ts
/**
 * Traffic shifting by Gateway API weights: the HTTPRoute's backendRefs named
 * like the stable and the canary workload (their Services carry the same
 * names) get weights 100 − w and w in every rule that routes to them; a rule
 * with only the stable backend gets the canary added beside it (same port).
 * The route is replaced on its resourceVersion (retried on conflict), read
 * back, and both workloads must be Available for the weight they now take.
 * When a Gateway controller reports route status, its Accepted and
 * ResolvedRefs conditions for the new generation count too.
 */





/** The HTTPRoute API version phase-gate moves weights on. */
const HTTPROUTE_API = 'gateway.networking.k8s.io/v1';
/** The route with the weights set; throws when no rule routes to the stable or canary backend. */
function setRouteWeights(route, backends, weight) {
    const next = structuredClone(route);
    const rules = (next.spec?.rules ?? []);
    let touched = 0;
    for (const rule of rules) {
        const refs = rule.backendRefs ?? [];
        const isService = (b) => (b.kind ?? 'Service') === 'Service' && !b.group;
        const stable = refs.find(b => b.name === backends.stable && isService(b));
        let canary = refs.find(b => b.name === backends.canary && isService(b));
        if (!stable && !canary)
            continue;
        if (!canary && stable) {
            canary = { ...structuredClone(stable), name: backends.canary };
            refs.push(canary);
            rule.backendRefs = refs;
        }
        if (stable)
            stable.weight = 100 - weight;
        if (canary)
            canary.weight = weight;
        touched++;
    }
    if (touched === 0)
        throw new Error(`${(0,types/* describeRef */.Ro)(route)} has no rule with a backendRef named ${backends.stable} or ${backends.canary}`);
    return next;
}
/** The canary's weight (percent of the pair) in each rule routing to the pair. */
function routeWeights(route, backends) {
    const rules = (route.spec?.rules ?? []);
    const out = [];
    for (const rule of rules) {
        const refs = rule.backendRefs ?? [];
        const s = refs.find(b => b.name === backends.stable);
        const c = refs.find(b => b.name === backends.canary);
        // Gateway API's default weight is 1.
        if (s || c)
            out.push({ stable: s ? (s.weight ?? 1) : 0, canary: c ? (c.weight ?? 1) : 0 });
    }
    return out;
}
/** Problems a Gateway controller reported about the route's current generation. */
function routeStatusProblems(route) {
    const parents = (route.status?.parents ?? []);
    const gen = route.metadata.generation;
    const out = [];
    for (const p of parents) {
        for (const c of p.conditions ?? []) {
            if (c.type !== 'Accepted' && c.type !== 'ResolvedRefs')
                continue;
            if (gen !== undefined && c.observedGeneration !== undefined && c.observedGeneration < gen)
                continue;
            if (c.status !== 'True')
                out.push(`${p.parentRef?.name ?? 'parent'}: ${c.type}=${c.status} (${c.reason ?? ''}${c.message ? `: ${c.message}` : ''})`);
        }
    }
    return out;
}
/** Shifts traffic by an HTTPRoute's backend weights. */
class RouteWeightShifter {
    cluster;
    clock;
    mode = 'route';
    route;
    stable;
    canary;
    constructor(cluster, rollout, namespace, clock) {
        this.cluster = cluster;
        this.clock = clock;
        const route = rollout.route;
        this.route = {
            apiVersion: HTTPROUTE_API,
            kind: 'HTTPRoute',
            name: route.name,
            namespace: route.namespace ?? namespace
        };
        this.stable = workloadRef(rollout.target, namespace);
        this.canary = workloadRef(canaryWorkload(rollout), namespace);
    }
    describe() {
        return `HTTPRoute ${this.route.name} (backends ${this.stable.name} / ${this.canary.name})`;
    }
    get backends() {
        return { stable: this.stable.name, canary: this.canary.name };
    }
    async shift(weight, opts) {
        const started = this.clock.now();
        const deadline = started + opts.timeoutMs;
        const done = (ok, message, data = {}, evidence) => ({
            ok,
            weight,
            message,
            evidence,
            data: { mode: 'route', route: this.route.name, ...data },
            durationMs: this.clock.now() - started
        });
        // The canary must be able to take its share before it gets it (not in a rollback).
        if (!opts.urgent && weight > 0) {
            const w = await (0,wait/* waitForObjects */.Ld)(this.cluster, [this.canary], {
                timeoutMs: Math.max(0, deadline - this.clock.now()),
                clock: this.clock,
                signal: opts.signal,
                failFast: true
            });
            if (w.result !== 'done')
                return done(false, `${(0,types/* describeRef */.Ro)(this.canary)} is not available: ${w.message}`);
        }
        let was;
        for (let attempt = 0;; attempt++) {
            let live;
            try {
                live = await this.cluster.get(this.route);
            }
            catch (err) {
                return done(false, `cannot read ${(0,types/* describeRef */.Ro)(this.route)}: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
            }
            if (!live)
                return done(false, `${(0,types/* describeRef */.Ro)(this.route)} not found`);
            was = routeWeights(live, this.backends);
            let next;
            try {
                next = setRouteWeights(live, this.backends, weight);
            }
            catch (err) {
                return done(false, (0,core_errors/* errorMessage */.gJ)(err));
            }
            try {
                await this.cluster.replace(next);
                break;
            }
            catch (err) {
                const conflict = err instanceof types/* KubeApiError */.W3 && err.status === 409;
                if (!conflict || attempt >= 5)
                    return done(false, `cannot update ${(0,types/* describeRef */.Ro)(this.route)}: ${(0,core_errors/* errorMessage */.gJ)(err)}`, {
                        was
                    });
            }
        }
        // Read back what the API server holds now.
        const after = await this.cluster.get(this.route);
        const now = after ? routeWeights(after, this.backends) : [];
        const data = { weights: now, was };
        const wrong = now.filter(w => w.canary !== weight || w.stable !== 100 - weight);
        if (!after || now.length === 0 || wrong.length)
            return done(false, `${(0,types/* describeRef */.Ro)(this.route)} does not hold weight ${weight} for the canary after the update`, data);
        const statusProblems = routeStatusProblems(after);
        if (statusProblems.length)
            return done(false, `the Gateway did not accept ${(0,types/* describeRef */.Ro)(this.route)}: ${statusProblems.join('; ')}`, data);
        // The side that keeps traffic must be available; the canary only when it takes a share.
        const needed = [
            ...(weight < 100 ? [this.stable] : []),
            ...(weight > 0 && !opts.urgent ? [this.canary] : [])
        ];
        if (needed.length) {
            const w = await (0,wait/* waitForObjects */.Ld)(this.cluster, needed, {
                timeoutMs: Math.max(0, deadline - this.clock.now()),
                clock: this.clock,
                signal: opts.urgent ? undefined : opts.signal,
                failFast: true
            });
            if (w.result !== 'done')
                return done(false, `weights set, but ${w.message}`, data);
        }
        const reported = after.status?.parents?.length
            ? ''
            : ' (no Gateway controller reported status for the route)';
        return done(true, `canary at ${weight}%: ${(0,types/* describeRef */.Ro)(this.route)} weights ${this.stable.name}=${100 - weight} ${this.canary.name}=${weight} in ${now.length} rule${now.length === 1 ? '' : 's'}, read back in ${(0,duration/* formatDuration */.a3)(this.clock.now() - started)}${reported}`, data);
    }
}

;// CONCATENATED MODULE: ./src/rollout/traffic.ts
/**
 * Traffic shifting: how much of the traffic the canary gets. With
 * `rollout.route` the weights of an HTTPRoute's backends move; otherwise the
 * replica ratio does (the canary gets ceil(weight% × replicas), the stable
 * workload the rest). Every shift is verified before it counts.
 */


/** The shifter for a plan's rollout: route weights when `route` is given, else the replica ratio. */
function createShifter(cluster, rollout, namespace, clock) {
    return rollout.route
        ? new RouteWeightShifter(cluster, rollout, namespace, clock)
        : new ReplicaRatioShifter(cluster, rollout, namespace, clock);
}
/** Canary replicas for a weight: ceil(weight% × total), 0 at 0 %, all at 100 %. */
function canaryReplicas(weight, total) {
    if (weight <= 0)
        return 0;
    if (weight >= 100)
        return total;
    // The small epsilon keeps float noise (7% of 100 = 7.000000000000001) from rounding up.
    return Math.min(total, Math.ceil((weight * total) / 100 - 1e-9));
}

;// CONCATENATED MODULE: ./src/gates/rollout.ts
/**
 * The staged rollout gate: per stage (`--stage NAME`, or every stage in
 * order), shift traffic to the stage's weight and verify it, hold while
 * judging the metrics against their thresholds and the baseline, and on a
 * trigger move the canary to 0 % at once, verify it, run the `onTrigger`
 * rollback level, and fail with the series that tripped it and its values.
 * A stage without canary traffic is `inconclusive` and stays at its weight
 * (never promoted, never rolled back); a metric without data keeps the stage
 * holding until the dead-man's switch fires. The state record follows:
 * deploying → active when the last stage passes; rolling-back →
 * previous-stable after a trigger. Each stage's samples go into the run's
 * Secret, its outcome into the index. The plan's webhooks hear of each stage
 * as it happens (promoted when it passes, rollback triggered the moment a
 * trigger fires), without the rollout waiting on them.
 */


















/** How often metrics are judged when the plan gives no interval. */
const DEFAULT_INTERVAL_MS = 30_000;
/** Time the move back to 0 % may take when `budgets.rollback` gives none (its own, not what the stage left). */
const ZERO_SHIFT_MS = 5 * 60_000;
/** The named PromQL queries of `rollout.metrics` (everything but `prometheus`). */
function rolloutQueries(rollout) {
    const out = {};
    for (const [name, q] of Object.entries(rollout.metrics ?? {}))
        if (name !== 'prometheus' && typeof q === 'string')
            out[name] = q;
    return out;
}
/**
 * The rollout's budget: `budgets.rollout`, else the holds of the stages it runs (the default
 * stages' when the plan lists none) plus the slack for shifting and judging.
 */
function rolloutBudgetMs(plan) {
    return (0,budgets/* budgetMs */.OU)(plan, 'rollout');
}
function eventBase(ctx) {
    const plan = ctx.loaded.plan;
    return {
        plan: plan.name,
        target: { context: ctx.settings.context ?? plan.target.context, namespace: ctx.namespace },
        runId: ctx.runId,
        at: new Date(ctx.clock.now()).toISOString(),
        runUrl: ctx.github?.runUrl
    };
}
/**
 * Starts telling the plan's webhooks of a stage's event and returns at once:
 * a slow chat server must not hold up a shift to 0 %. The gate waits for the
 * deliveries before it returns and puts their outcomes in the stage's notes.
 * True when the event went out (the stage is then `details.notified`, so the
 * report is not told again after the run).
 */
function tell(run, stage, event) {
    const { ctx } = run;
    const hooks = ctx.loaded.plan.notify;
    if (!event || !hooks?.length || ctx.settings.dryRun)
        return false;
    run.told.push({
        stage,
        lines: (0,send/* sendNotification */._Y)(hooks, event, { log: ctx.log, clock: ctx.clock }).then(send/* describeOutcomes */.vl, (err) => [
            `could not notify of ${event.kind}: ${(0,core_errors/* errorMessage */.gJ)(err)} (the verdict stands)`
        ])
    });
    return true;
}
function numbers(ticks, metric, side) {
    return ticks.map(t => t.metrics[metric]?.[side]).filter((v) => typeof v === 'number');
}
/** One row per metric: the numbers seen during the hold and the triggers that judge it. */
function metricRows(run, stage, hold, verdict) {
    const names = [...Object.keys(run.queries), ...run.resources.map(metrics_judge/* resourceMetric */.P$)];
    return names.map(name => {
        const canary = numbers(hold.ticks, name, 'canary');
        const baseline = numbers(hold.ticks, name, 'baseline');
        const judgedBy = run.triggers.filter(t => t.metric === name).map(t => t.source);
        const last = hold.ticks[hold.ticks.length - 1]?.metrics[name];
        const shown = (v) => typeof v === 'number' ? (0,metrics_judge/* formatNumber */.ZV)(v) : (v ?? 'not read');
        const range = canary.length
            ? ` (min ${(0,metrics_judge/* formatNumber */.ZV)(Math.min(...canary))}, max ${(0,metrics_judge/* formatNumber */.ZV)(Math.max(...canary))})`
            : '';
        return (0,checks_result/* checkResult */.iJ)('metric', `${stage.name}:${name}`, {
            verdict: name === 'requests' || canary.length > 0 ? verdict : verdict === 'pass' ? 'warn' : verdict,
            message: `${name}: canary ${shown(last?.canary)}, baseline ${shown(last?.baseline)}${range} over ${hold.ticks.length} samples${judgedBy.length ? `; rollback if ${judgedBy.join(' or ')}` : ''}`,
            data: {
                metric: name,
                ...(run.queries[name] !== undefined
                    ? {
                        query: (0,prometheus/* withTrack */.eI)(run.queries[name], 'canary'),
                        baselineQuery: (0,prometheus/* withTrack */.eI)(run.queries[name], 'stable')
                    }
                    : { resource: name.slice(0, name.indexOf('/')) }),
                value: last?.canary,
                baseline: last?.baseline,
                min: canary.length ? Math.min(...canary) : undefined,
                max: canary.length ? Math.max(...canary) : undefined,
                baselineMax: baseline.length ? Math.max(...baseline) : undefined,
                samples: hold.ticks.length,
                withData: canary.length,
                thresholds: judgedBy,
                intervalMs: run.intervalMs
            }
        });
    });
}
function timeline(ticks, limit = 12) {
    return ticks
        .slice(-limit)
        .map(t => {
        const ms = Object.entries(t.metrics)
            .map(([n, v]) => `${n}=${typeof v.canary === 'number' ? (0,metrics_judge/* formatNumber */.ZV)(v.canary) : v.canary}${v.baseline !== undefined ? ` (stable ${typeof v.baseline === 'number' ? (0,metrics_judge/* formatNumber */.ZV)(v.baseline) : v.baseline})` : ''}`)
            .join(', ');
        return `${t.at} traffic=${t.traffic} ${ms}`;
    })
        .join('\n');
}
async function runStage(run, stage) {
    const { ctx, rollout, shifter, record } = run;
    const started = ctx.clock.now();
    const checks = [];
    const notes = [];
    const location = stage.index !== undefined
        ? ctx.loaded.locate(['rollout', 'stages', stage.index])
        : ctx.loaded.locate(stage.infra ? ['rollout', 'infra'] : ['rollout']);
    const details = {
        stage: stage.name,
        weight: stage.weight,
        holdMs: stage.holdMs,
        intervalMs: run.intervalMs,
        mode: shifter.mode,
        traffic: shifter.describe()
    };
    let verdict;
    const done = () => (0,model/* gateResult */.xp)('rollout', started, checks, {
        now: ctx.clock.now(),
        name: stage.name,
        budgetMs: run.budgetMs,
        notes: notes.length ? notes : undefined,
        details,
        ...(verdict ? { verdict } : {})
    });
    const warnState = (err) => ctx.log.warn(`state record: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
    const saveStage = async (result) => {
        const summary = {
            stage: stage.name,
            weight: stage.weight,
            verdict: result.verdict,
            at: new Date(ctx.clock.now()).toISOString(),
            runId: ctx.runId
        };
        await record
            .writeRunData(ctx.runId, `rollout.${(0,labels/* dnsName */.Tu)(stage.name, 200)}.json`, JSON.stringify({ ...summary, details }))
            .catch(warnState);
        await record
            .updateIndex(index => {
            index.extra = { ...(index.extra ?? {}), rollout: summary };
        })
            .catch(warnState);
        return result;
    };
    if (ctx.settings.dryRun) {
        checks.push((0,checks_result/* checkResult */.iJ)('traffic', stage.name, {
            verdict: 'pass',
            message: `dry run: would move the canary to ${stage.weight}% via ${shifter.describe()}${stage.holdMs ? ` and hold ${(0,duration/* formatDuration */.a3)(stage.holdMs)}, judging every ${(0,duration/* formatDuration */.a3)(run.intervalMs)}` : ''}`,
            location
        }));
        return done();
    }
    if (!stage.infra) {
        const state = await record.readIndex().then(i => i.state, () => undefined);
        if (state !== 'deploying')
            await record
                .transition('deploying', ctx.runId, `rollout stage ${stage.name} (${stage.weight}%)`)
                .catch(warnState);
    }
    // A trigger: the canary to 0 % at once (verified), then the onTrigger level, and the stage fails.
    const trigger = async (what, message, firing, ticks = []) => {
        const at = ctx.clock.now();
        checks.push((0,checks_result/* checkResult */.iJ)('trigger', firing ? `${stage.name}:${firing.metric}` : `${stage.name}:${what}`, {
            verdict: 'fail',
            message: firing
                ? `rollback triggered at ${stage.weight}%: ${message} (trigger: ${firing.trigger.source})`
                : `rollback triggered at ${stage.weight}%: ${message}`,
            evidence: ticks.length ? `samples (newest last):\n${timeline(ticks)}` : undefined,
            data: firing
                ? {
                    metric: firing.metric,
                    kind: firing.kind,
                    trigger: firing.trigger.source,
                    cel: firing.trigger.cel,
                    query: run.queries[firing.metric]
                        ? (0,prometheus/* withTrack */.eI)(run.queries[firing.metric], 'canary')
                        : undefined,
                    baselineQuery: run.queries[firing.metric]
                        ? (0,prometheus/* withTrack */.eI)(run.queries[firing.metric], 'stable')
                        : undefined,
                    samples: firing.samples,
                    ...(firing.trigger.resource
                        ? { resource: firing.trigger.resource, ...firing.labels }
                        : {})
                }
                : { kind: what },
            location: firing && firing.trigger.index >= 0
                ? ctx.loaded.locate(['rollout', 'rollbackIf', firing.trigger.index])
                : location
        }));
        const level = rollout.onTrigger && rollout.onTrigger !== 'none' ? rollout.onTrigger : undefined;
        if (tell(run, stage.name, {
            ...eventBase(ctx),
            kind: 'rollback-triggered',
            summary: `stage ${stage.name} (${stage.weight}%): ${checks[checks.length - 1].message}`,
            detail: `moving the canary to 0 %${level ? ` and running the ${level} rollback level` : ''}`,
            state: 'rolling-back',
            data: { stage: stage.name, weight: stage.weight, trigger: checks[checks.length - 1].data }
        }))
            details.notified = true;
        await record
            .transition('rolling-back', ctx.runId, `stage ${stage.name}: ${message}`)
            .catch(warnState);
        ctx.progress({ gate: 'rollout', activity: `${stage.name}: trigger, moving the canary to 0%` });
        const back = await zero(run);
        const rolledBackAt = ctx.clock.now();
        checks.push((0,checks_result/* checkResult */.iJ)('rollback', `${stage.name}:0%`, {
            verdict: back.ok ? 'pass' : 'fail',
            message: back.ok
                ? `canary back to 0% ${(0,duration/* formatDuration */.a3)(rolledBackAt - at)} after the trigger: ${back.message}`
                : `could not move the canary back to 0%: ${back.message}`,
            evidence: back.evidence,
            adjustment: back.ok
                ? undefined
                : `move the traffic by hand (${shifter.describe()}) and check the stable workload`,
            data: { ...back.data, durationMs: back.durationMs }
        }));
        if (back.ok)
            await record
                .transition('previous-stable', ctx.runId, `canary of stage ${stage.name} rolled back to 0%`)
                .catch(warnState);
        details.trigger = {
            what,
            message,
            metric: firing?.metric,
            at: new Date(at).toISOString(),
            rolledBackAt: new Date(rolledBackAt).toISOString(),
            rollbackMs: rolledBackAt - at,
            samples: firing?.samples
        };
        if (level) {
            const levels = ctx.loaded.plan.rollbackLevels ?? [];
            const i = levels.findIndex(l => l.level === level);
            if (i < 0)
                checks.push((0,checks_result/* checkResult */.iJ)('rollback', level, {
                    verdict: 'error',
                    message: `rollout.onTrigger names level ${level}, which rollbackLevels does not define`
                }));
            else
                checks.push(await runRollbackLevel(ctx, run.cluster, levels[i], i));
        }
        notes.push(`stage ${stage.name} failed (${what}); the canary was moved back to 0%${level ? ` and the ${level} rollback ran` : ''}`);
        if (ctx.signal.aborted)
            verdict = 'cancelled';
        return saveStage(done());
    };
    ctx.progress({
        gate: 'rollout',
        activity: `${stage.name}: moving the canary to ${stage.weight}%`
    });
    const shift = await shifter.shift(stage.weight, {
        timeoutMs: Math.max(1000, run.deadline - ctx.clock.now()),
        signal: ctx.signal
    });
    details.shift = shift.data;
    checks.push((0,checks_result/* checkResult */.iJ)('traffic', stage.name, {
        verdict: shift.ok ? 'pass' : 'fail',
        message: shift.message,
        evidence: shift.evidence,
        data: { ...shift.data, durationMs: shift.durationMs },
        location
    }));
    if (ctx.signal.aborted)
        return cancelled(run, stage, checks, notes, done, v => (verdict = v));
    if (!shift.ok)
        return trigger('shift', `the traffic shift to ${stage.weight}% failed: ${shift.message}`);
    if (stage.infra) {
        ctx.progress({
            gate: 'rollout',
            activity: `infra: ${rollout.infra?.length ?? 0} steps at weight 0`
        });
        const results = await (0,validation/* runValidations */.s8)(rollout.infra ?? [], { ...ctx, deadline: run.deadline }, [
            'rollout',
            'infra'
        ]);
        checks.push(...results);
        if (ctx.signal.aborted)
            return cancelled(run, stage, checks, notes, done, v => (verdict = v));
        const failed = results.filter(r => !(0,model/* isPassing */.WG)(r.verdict));
        if (failed.length)
            return trigger('infra', `infra step failed: ${failed.map(f => f.message).join('; ')}`);
        return saveStage(done());
    }
    if (stage.holdMs <= 0) {
        checks.push((0,checks_result/* checkResult */.iJ)('hold', stage.name, {
            verdict: 'pass',
            message: 'no hold at this stage: metrics are not judged here',
            location
        }));
    }
    else {
        try {
            run.metrics ??= ctx.metrics();
        }
        catch (err) {
            if (err instanceof core_errors/* UsageError */.eb)
                throw err;
            return trigger('metrics', `no Prometheus client: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
        }
        const metrics = run.metrics;
        if (run.resources.length)
            run.shares ??= canaryShareReader({
                cluster: run.cluster,
                metrics,
                rollout,
                namespace: ctx.namespace,
                resources: run.resources
            });
        ctx.progress({
            gate: 'rollout',
            activity: `${stage.name}: holding ${(0,duration/* formatDuration */.a3)(stage.holdMs)} at ${stage.weight}%`
        });
        const hold = await holdStage({
            metrics,
            queries: run.queries,
            triggers: run.triggers,
            holdMs: stage.holdMs,
            intervalMs: run.intervalMs,
            clock: ctx.clock,
            signal: ctx.signal,
            deadline: run.deadline,
            readers: run.shares,
            onTick: t => ctx.progress({
                gate: 'rollout',
                activity: `${stage.name}: ${stage.weight}%, sample at ${t.at} (traffic ${t.traffic})`
            })
        });
        details.prometheus = metrics.url;
        details.hold = {
            startedAt: new Date(hold.startedAt).toISOString(),
            endedAt: new Date(hold.endedAt).toISOString(),
            extendedMs: hold.extendedMs,
            withTraffic: hold.withTraffic
        };
        details.samples = hold.ticks;
        for (const p of hold.problems)
            checks.push((0,checks_result/* checkResult */.iJ)('trigger', `${stage.name}:expression`, {
                verdict: 'warn',
                message: `a trigger could not be judged: ${p}`
            }));
        for (const [resource, containers] of run.shares?.unlimited ?? [])
            for (const c of containers) {
                if (run.saidUnlimited.has(`${resource}:${c}`))
                    continue;
                run.saidUnlimited.add(`${resource}:${c}`);
                notes.push(`canary container ${c} sets no ${resource} limit: its ${resource} use is not judged against limits`);
            }
        if (run.triggers.some(t => t.implicit))
            notes.push("the plan sets no noDataFor: the default dead-man's switch (no data for 5m) applied");
        if (hold.extendedMs > 0)
            notes.push(`held ${(0,duration/* formatDuration */.a3)(hold.extendedMs)} past the hold while a metric had no data`);
        switch (hold.result) {
            case 'triggered':
                return trigger(hold.firing?.kind ?? 'threshold', hold.message, hold.firing, hold.ticks);
            case 'no-data':
                return trigger('no-data', hold.message, undefined, hold.ticks);
            case 'budget':
                return trigger('budget', hold.message, undefined, hold.ticks);
            case 'cancelled':
                return cancelled(run, stage, checks, notes, done, v => (verdict = v));
            case 'inconclusive':
                checks.push(...metricRows(run, stage, hold, 'inconclusive'));
                checks.push((0,checks_result/* checkResult */.iJ)('traffic', `${stage.name}:canary`, {
                    verdict: 'inconclusive',
                    message: hold.message,
                    adjustment: `send traffic to the canary and run --stage ${stage.name} again, or roll back with --gate rollback`,
                    location
                }));
                notes.push(`stage ${stage.name} is inconclusive: the canary stays at ${stage.weight}%`);
                return saveStage(done());
            case 'pass':
                checks.push(...metricRows(run, stage, hold, 'pass'));
                checks.push((0,checks_result/* checkResult */.iJ)('hold', stage.name, { verdict: 'pass', message: hold.message, location }));
        }
    }
    if (stage.weight >= 100)
        await record
            .transition('active', ctx.runId, `rollout stage ${stage.name} reached 100%`)
            .catch(warnState);
    return saveStage(done());
}
/** Moves the canary to 0 % with the rollback's own time, whatever the stage left. */
async function zero(run) {
    const timeoutMs = (0,duration/* durationMs */.pc)(run.ctx.loaded.plan.budgets?.rollback, ZERO_SHIFT_MS);
    try {
        return await run.shifter.shift(0, { timeoutMs, urgent: true });
    }
    catch (err) {
        return { ok: false, weight: 0, message: (0,core_errors/* errorMessage */.gJ)(err), data: {}, durationMs: 0 };
    }
}
// A cancelled stage leaves no canary unattended: it goes back to 0 % before the job ends.
async function cancelled(run, stage, checks, notes, done, setVerdict) {
    const back = await zero(run);
    checks.push((0,checks_result/* checkResult */.iJ)('rollback', `${stage.name}:0%`, {
        verdict: back.ok ? 'pass' : 'fail',
        message: back.ok
            ? `cancelled: canary moved back to 0% (${back.message})`
            : `cancelled, and the canary could not be moved back to 0%: ${back.message}`
    }));
    notes.push(`cancelled during stage ${stage.name}; the canary ${back.ok ? 'was moved back to 0%' : 'may still take traffic'}`);
    setVerdict('cancelled');
    return done();
}
/**
 * A run whose canary was rolled back does not move traffic again: a re-run of
 * a later stage job ("Re-run jobs" keeps the run id) would otherwise shift the
 * canary back up past the trigger. A new run (a new run id) may.
 */
async function refuseAfterRollback(run, stages) {
    const { ctx } = run;
    if (stages.every(s => s.infra))
        return undefined;
    const index = await run.record.readIndex().catch(() => undefined);
    const rolledBack = index?.history.find(h => h.runId === ctx.runId && (h.state === 'rolling-back' || h.state === 'previous-stable'));
    if (!rolledBack)
        return undefined;
    const started = ctx.clock.now();
    return (0,model/* gateResult */.xp)('rollout', started, [
        (0,checks_result/* checkResult */.iJ)('traffic', stages[0].name, {
            verdict: 'fail',
            message: `run ${ctx.runId} rolled its canary back at ${rolledBack.at}${rolledBack.reason ? ` (${rolledBack.reason})` : ''}: no traffic moved`,
            adjustment: 'fix the cause and release again in a new run (a new workflow run, or --run-id on the CLI); a re-run of a stage job keeps the run that rolled back',
            location: ctx.loaded.locate(['rollout'])
        })
    ], { now: ctx.clock.now(), name: stages[0].name, budgetMs: run.budgetMs });
}
const rolloutGate = {
    name: 'rollout',
    async run(ctx) {
        const rollout = ctx.loaded.plan.rollout;
        if (!rollout)
            throw new core_errors/* UsageError */.eb('the plan has no rollout block; add `rollout:` to run the rollout gate');
        const stages = selectStages(rolloutStages(rollout), ctx.settings.stage);
        let triggers;
        try {
            triggers = (0,metrics_judge/* compileTriggers */.f8)(rollout.rollbackIf);
        }
        catch (err) {
            throw new core_errors/* UsageError */.eb(`rollout.rollbackIf: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
        }
        const cluster = await ctx.cluster();
        const budget = rolloutBudgetMs(ctx.loaded.plan);
        const run = {
            ctx,
            rollout,
            cluster,
            shifter: createShifter(cluster, rollout, ctx.namespace, ctx.clock),
            record: new state_record/* StateRecord */.l(cluster, ctx.loaded.plan.name, ctx.namespace, ctx.loaded.plan.state?.keepRuns),
            queries: rolloutQueries(rollout),
            triggers,
            resources: judgedResources(rollout),
            saidUnlimited: new Set(),
            intervalMs: (0,duration/* durationMs */.pc)(rollout.interval, DEFAULT_INTERVAL_MS),
            budgetMs: budget,
            deadline: ctx.clock.now() + budget,
            told: []
        };
        const refused = await refuseAfterRollback(run, stages);
        if (refused)
            return [refused];
        const results = [];
        for (const stage of stages) {
            if (ctx.signal.aborted)
                break;
            const r = await runStage(run, stage);
            results.push(r);
            // Promoted the moment its stage passed, before the next stage starts.
            if (r.details?.notified !== true) {
                const e = (0,report_events/* stageEvent */.XM)(r, ctx.loaded.plan, eventBase(ctx));
                if (e?.kind === 'stage-promoted' && tell(run, stage.name, e))
                    r.details = { ...(r.details ?? {}), notified: true };
            }
            // A failed, inconclusive or cancelled stage ends the rollout: later stages build on it.
            if (!(0,model/* isPassing */.WG)(r.verdict))
                break;
        }
        for (const t of run.told) {
            const lines = await t.lines;
            const r = results.find(x => x.name === t.stage);
            if (r)
                r.notes = [...(r.notes ?? []), ...lines];
        }
        return results;
    }
};

;// CONCATENATED MODULE: ./src/gates/rollback.ts
/**
 * The rollback gate: one rollback level executed, verified and timed against
 * its budget. `--level flag|config|code` picks it; without `--level` the
 * gate runs the first level the plan lists (plans list them cheapest first,
 * flag → config → code, and the cheapest level that works is the one to try
 * first), and says how to escalate. Each run is one deliberate step: levels
 * are never chained here, because whether the next one is needed is a
 * judgement the previous one's result informs.
 */





const rollbackGate = {
    name: 'rollback',
    async run(ctx) {
        const levels = ctx.loaded.plan.rollbackLevels ?? [];
        if (levels.length === 0)
            throw new core_errors/* UsageError */.eb('the plan has no rollbackLevels; add flag, config or code levels to run the rollback gate');
        const notes = [];
        let index;
        if (ctx.settings.level !== undefined) {
            index = levels.findIndex(l => l.level === ctx.settings.level);
            if (index < 0)
                throw new core_errors/* UsageError */.eb(`no rollback level "${ctx.settings.level}" in the plan; levels: ${levels.map(l => l.level).join(', ')}`);
        }
        else {
            index = 0;
            const rest = levels.slice(1).map(l => `--level ${l.level}`);
            notes.push(`no --level given: ran the first level the plan lists (${levels[0].level})${rest.length ? `; escalate with ${rest.join(' or ')}` : ''}`);
        }
        const spec = levels[index];
        const started = ctx.clock.now();
        const cluster = await ctx.cluster();
        const record = new state_record/* StateRecord */.l(cluster, ctx.loaded.plan.name, ctx.namespace, ctx.loaded.plan.state?.keepRuns);
        const warnState = (err) => ctx.log.warn(`state record: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
        if (!ctx.settings.dryRun)
            await record.transition('rolling-back', ctx.runId, `${spec.level} rollback`).catch(warnState);
        ctx.progress({ gate: 'rollback', activity: `${spec.level} rollback` });
        const check = await runRollbackLevel(ctx, cluster, spec, index);
        const ok = (0,model/* isPassing */.WG)(check.verdict);
        if (!ctx.settings.dryRun) {
            // Every level's purpose is the behaviour of the previous stable version; the reason says which level got it there.
            await record
                .transition(ok ? 'previous-stable' : 'failed', ctx.runId, `${spec.level} rollback ${ok ? 'verified' : 'failed'}: ${check.message}`)
                .catch(warnState);
            await record
                .updateIndex(i => {
                i.extra = {
                    ...(i.extra ?? {}),
                    rollback: {
                        level: spec.level,
                        verdict: check.verdict,
                        at: new Date(ctx.clock.now()).toISOString(),
                        durationMs: check.durationMs,
                        runId: ctx.runId
                    }
                };
            })
                .catch(warnState);
        }
        if (!ok && check.data?.refused)
            notes.push('code rollback was refused; the flag and config levels stay available');
        return [
            (0,model/* gateResult */.xp)('rollback', started, [check], {
                now: ctx.clock.now(),
                name: spec.level,
                budgetMs: (0,budgets/* levelBudgetMs */.Cu)(spec),
                notes: notes.length ? notes : undefined,
                details: {
                    level: spec.level,
                    durationMs: check.durationMs,
                    budgetMs: (0,budgets/* levelBudgetMs */.Cu)(spec),
                    withinBudget: check.data?.withinBudget
                }
            })
        ];
    }
};

// EXTERNAL MODULE: ./src/gates/validate.ts
var validate = __webpack_require__(2072);
;// CONCATENATED MODULE: ./src/gates/index.ts
/** Gate registry: gate name → implementation. Gates not built yet are absent and answer "not implemented yet". */









const GATES = {
    'reality-check': realityCheckGate,
    tracer: tracer/* tracerGate */.ji,
    plan: planGate,
    phase: phase/* phaseGate */.nW,
    rollout: rolloutGate,
    rollback: rollbackGate,
    validate: validate/* validateGate */.wL,
    record: record/* recordGate */.RX,
    soak: soakGate
};
/** The implementation of a gate, or undefined when it is not built yet. */
function gateFor(name) {
    return GATES[name];
}
/** What `--gate all` runs, in order. `record` runs even when an earlier gate failed. */
const ALL_SEQUENCE = [
    'reality-check',
    'tracer',
    'plan',
    'phase',
    'validate',
    'record'
];


/***/ }),

/***/ 179:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   MT: () => (/* binding */ markPackaged),
/* harmony export */   nW: () => (/* binding */ phaseGate)
/* harmony export */ });
/* unused harmony exports phaseObjects, rollbackPhase, interrupted */
/* harmony import */ var _checks_result_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7076);
/* harmony import */ var _checks_validation_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1646);
/* harmony import */ var _checks_builtin_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3217);
/* harmony import */ var _core_duration_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8571);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4296);
/* harmony import */ var _kube_apply_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9501);
/* harmony import */ var _kube_client_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(4229);
/* harmony import */ var _kube_evidence_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(2804);
/* harmony import */ var _kube_pre_deployment_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(3122);
/* harmony import */ var _kube_state_record_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(8076);
/* harmony import */ var _kube_types_js__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(6384);
/* harmony import */ var _kube_undo_js__WEBPACK_IMPORTED_MODULE_11__ = __webpack_require__(2511);
/* harmony import */ var _kube_wait_js__WEBPACK_IMPORTED_MODULE_12__ = __webpack_require__(8368);
/* harmony import */ var _plan_budgets_js__WEBPACK_IMPORTED_MODULE_13__ = __webpack_require__(6817);
/* harmony import */ var _plan_manifests_js__WEBPACK_IMPORTED_MODULE_14__ = __webpack_require__(1553);
/* harmony import */ var _report_model_js__WEBPACK_IMPORTED_MODULE_15__ = __webpack_require__(6867);
/**
 * Gate I, one implementation phase: record the live state of what the phase
 * touches, server-side apply its manifests, wait until every applied object
 * is Current (failing fast on known causes), run its validation checks, and
 * on failure or cancellation run its rollback, verify it, and stop.
 */
















/** The objects a phase applies, from its `apply` files. */
async function phaseObjects(ctx, phase, index) {
    const files = await (0,_plan_manifests_js__WEBPACK_IMPORTED_MODULE_14__/* .expandManifestPaths */ .ov)(ctx.loaded, phase.apply ?? [], `phases[${index}].apply`);
    return (await (0,_plan_manifests_js__WEBPACK_IMPORTED_MODULE_14__/* .loadManifestFiles */ .Le)(ctx.loaded, files, ctx.settings.workspace)).map(m => m.object);
}
/** Runs a phase's rollback actions (default: undo) within the rollback budget. */
async function rollbackPhase(ctx, cluster, phase, index, rec, record, why) {
    const actions = phase.rollback?.length ? phase.rollback : [{ undo: true }];
    const budget = (0,_plan_budgets_js__WEBPACK_IMPORTED_MODULE_13__/* .rollbackBudgetMs */ .Uz)(ctx.loaded.plan, phase);
    const started = ctx.clock.now();
    const results = [];
    rec.status = 'rolling-back';
    await record
        .writePhase(rec)
        .catch(err => ctx.log.warn(`could not update the state record: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .errorMessage */ .gJ)(err)}`));
    ctx.progress({ gate: 'phase', activity: `${phase.name}: rolling back (${why})` });
    for (const [i, action] of actions.entries()) {
        const location = ctx.loaded.locate(['phases', index, 'rollback', i]);
        const left = Math.max(1000, budget - (ctx.clock.now() - started));
        if ('undo' in action) {
            const outcome = await (0,_kube_undo_js__WEBPACK_IMPORTED_MODULE_11__/* .undoApplied */ ._)(cluster, rec.objects, { timeoutMs: left, clock: ctx.clock });
            const kept = outcome.steps.filter(s => s.action === 'keep');
            results.push((0,_checks_result_js__WEBPACK_IMPORTED_MODULE_0__/* .checkResult */ .iJ)('rollback', `${phase.name}: undo`, {
                verdict: outcome.ok ? 'pass' : 'fail',
                message: outcome.ok
                    ? `rolled back in ${(0,_core_duration_js__WEBPACK_IMPORTED_MODULE_3__/* .formatDuration */ .a3)(outcome.durationMs)} (budget ${(0,_core_duration_js__WEBPACK_IMPORTED_MODULE_3__/* .formatDuration */ .a3)(budget)}): ${outcome.verifyMessage}${kept.length ? `; kept ${kept.map(k => (0,_kube_types_js__WEBPACK_IMPORTED_MODULE_10__/* .describeRef */ .Ro)(k.ref)).join(', ')}` : ''}`
                    : `rollback incomplete: ${[...outcome.steps.filter(s => !s.ok).map(s => s.message), outcome.verified ? '' : outcome.verifyMessage].filter(Boolean).join('; ')}`,
                evidence: outcome.steps.map(s => `${s.ok ? 'ok  ' : 'FAIL'} ${s.message}`).join('\n'),
                data: {
                    durationMs: outcome.durationMs,
                    budgetMs: budget,
                    kept: kept.map(k => (0,_kube_types_js__WEBPACK_IMPORTED_MODULE_10__/* .describeRef */ .Ro)(k.ref)),
                    verified: outcome.verified
                },
                location
            }));
        }
        else if ('command' in action) {
            const r = await ctx.exec.run(action.command.run, {
                shell: action.command.shell,
                cwd: ctx.loaded.dir,
                timeoutMs: Math.min(left, (0,_core_duration_js__WEBPACK_IMPORTED_MODULE_3__/* .durationMs */ .pc)(action.command.timeout, left)),
                env: {
                    PHASE_GATE_NAMESPACE: ctx.namespace,
                    PHASE_GATE_RUN_ID: ctx.runId,
                    PHASE_GATE_PHASE: phase.name
                }
            });
            results.push((0,_checks_result_js__WEBPACK_IMPORTED_MODULE_0__/* .checkResult */ .iJ)('rollback', `${phase.name}: ${action.command.run.join(' ').slice(0, 60)}`, {
                verdict: r.exitCode === 0 && !r.timedOut ? 'pass' : 'fail',
                message: r.exitCode === 0 && !r.timedOut
                    ? `rollback command succeeded in ${(0,_core_duration_js__WEBPACK_IMPORTED_MODULE_3__/* .formatDuration */ .a3)(r.durationMs)}`
                    : `rollback command failed (exit ${r.exitCode}${r.timedOut ? ', timed out' : ''})`,
                evidence: (r.stderr || r.stdout).slice(-2000),
                location
            }));
        }
        else {
            results.push((0,_checks_result_js__WEBPACK_IMPORTED_MODULE_0__/* .checkResult */ .iJ)('rollback', `${phase.name}: helm`, {
                verdict: 'error',
                message: 'helm rollback is handled by Helm phases, which this phase is not',
                location
            }));
        }
    }
    const ok = results.every(r => (0,_report_model_js__WEBPACK_IMPORTED_MODULE_15__/* .isPassing */ .WG)(r.verdict));
    rec.status = ok ? 'rolled-back' : 'failed';
    rec.finishedAt = new Date(ctx.clock.now()).toISOString();
    await record
        .writePhase(rec)
        .catch(err => ctx.log.warn(`could not update the state record: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .errorMessage */ .gJ)(err)}`));
    return results;
}
async function runPhase(ctx, phase, index) {
    const started = ctx.clock.now();
    const location = ctx.loaded.locate(['phases', index]);
    const budget = (0,_core_duration_js__WEBPACK_IMPORTED_MODULE_3__/* .durationMs */ .pc)(phase.budget, (0,_plan_budgets_js__WEBPACK_IMPORTED_MODULE_13__/* .budgetMs */ .OU)(ctx.loaded.plan, 'phase', { phase }));
    const timeoutMs = Math.min((0,_core_duration_js__WEBPACK_IMPORTED_MODULE_3__/* .durationMs */ .pc)(phase.timeout, budget), budget);
    const deadline = started + timeoutMs;
    const checks = [];
    const notes = [];
    const done = () => (0,_report_model_js__WEBPACK_IMPORTED_MODULE_15__/* .gateResult */ .xp)('phase', started, checks, {
        now: ctx.clock.now(),
        name: phase.name,
        budgetMs: budget,
        notes: notes.length ? notes : undefined
    });
    if (phase.helm) {
        const { runHelmPhase } = await __webpack_require__.e(/* import() */ 651).then(__webpack_require__.bind(__webpack_require__, 6651));
        return runHelmPhase(ctx, phase, index);
    }
    const cluster = await ctx.cluster();
    const raw = await phaseObjects(ctx, phase, index);
    const objects = await (0,_kube_apply_js__WEBPACK_IMPORTED_MODULE_5__/* .prepareObjects */ .qK)(cluster, raw, ctx.namespace, {
        plan: ctx.loaded.plan.name,
        run: ctx.runId,
        role: 'phase',
        unit: phase.name
    });
    // Admission first: a manifest the cluster rejects is caught before anything changes.
    const dry = await (0,_kube_apply_js__WEBPACK_IMPORTED_MODULE_5__/* .applyInOrder */ .g$)(cluster, objects, [], { dryRun: true });
    if (dry.failed && dry.failed.status !== 404) {
        // No answer, 429 or a 5xx is not the server refusing the manifest: could not check (exit 3).
        const infra = (0,_kube_client_js__WEBPACK_IMPORTED_MODULE_6__/* .isInfraStatus */ .zs)(dry.failed.status, dry.failed.message);
        checks.push((0,_checks_result_js__WEBPACK_IMPORTED_MODULE_0__/* .checkResult */ .iJ)('apply', (0,_kube_types_js__WEBPACK_IMPORTED_MODULE_10__/* .describeRef */ .Ro)(dry.failed.ref), {
            verdict: infra ? 'error' : 'fail',
            message: dry.failed.message,
            adjustment: infra
                ? `could not ask ${cluster.server} to dry-run the phase; nothing was changed: re-run when it answers`
                : 'fix the manifest so the server accepts it; nothing was changed',
            location
        }));
        return done();
    }
    if (ctx.settings.dryRun) {
        checks.push((0,_checks_result_js__WEBPACK_IMPORTED_MODULE_0__/* .checkResult */ .iJ)('apply', phase.name, {
            verdict: 'pass',
            message: `dry run: the server accepts all ${objects.length} objects of phase ${phase.name}`,
            location
        }));
        return done();
    }
    const record = new _kube_state_record_js__WEBPACK_IMPORTED_MODULE_9__/* .StateRecord */ .l(cluster, ctx.loaded.plan.name, ctx.namespace, ctx.loaded.plan.state?.keepRuns);
    const rec = {
        phase: phase.name,
        runId: ctx.runId,
        status: 'applying',
        startedAt: new Date(started).toISOString(),
        objects: await (0,_kube_apply_js__WEBPACK_IMPORTED_MODULE_5__/* .snapshot */ .P9)(cluster, objects)
    };
    // The record is written before the first change: a killed job's post step can undo from it.
    await record.writePhase(rec);
    await markPackaged(ctx, record, `phase ${phase.name}: the server accepted all ${objects.length} objects in a dry run`, notes);
    await record
        .transition('deploying', ctx.runId, `phase ${phase.name}`)
        .catch(err => ctx.log.warn(`state record: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .errorMessage */ .gJ)(err)}`));
    const fail = async (why) => {
        checks.push(...(await rollbackPhase(ctx, cluster, phase, index, rec, record, why)));
        if (ctx.signal.aborted)
            notes.push(`cancelled: phase ${phase.name} was rolled back; the cluster holds what it held before this phase`);
        else
            notes.push(`phase ${phase.name} failed (${why}) and was rolled back`);
        const r = done();
        if (ctx.signal.aborted)
            r.verdict = 'cancelled';
        return r;
    };
    ctx.progress({ gate: 'phase', activity: `${phase.name}: applying ${objects.length} objects` });
    const applied = await (0,_kube_apply_js__WEBPACK_IMPORTED_MODULE_5__/* .applyInOrder */ .g$)(cluster, objects, rec.objects, { signal: ctx.signal });
    // Only what was really applied is undone; objects never reached keep their state.
    rec.objects = applied.applied;
    if (applied.failed) {
        const infra = (0,_kube_client_js__WEBPACK_IMPORTED_MODULE_6__/* .isInfraStatus */ .zs)(applied.failed.status, applied.failed.message);
        checks.push((0,_checks_result_js__WEBPACK_IMPORTED_MODULE_0__/* .checkResult */ .iJ)('apply', (0,_kube_types_js__WEBPACK_IMPORTED_MODULE_10__/* .describeRef */ .Ro)(applied.failed.ref), {
            verdict: infra ? 'error' : 'fail',
            message: applied.failed.message,
            location
        }));
        return fail(infra ? 'the server could not be asked' : 'apply rejected');
    }
    if (ctx.signal.aborted)
        return fail('cancelled while applying');
    checks.push((0,_checks_result_js__WEBPACK_IMPORTED_MODULE_0__/* .checkResult */ .iJ)('apply', phase.name, {
        verdict: 'pass',
        message: `applied ${applied.applied.length} objects (${applied.applied.filter(a => a.created).length} created)`,
        location
    }));
    ctx.progress({
        gate: 'phase',
        activity: `${phase.name}: waiting for ${applied.applied.length} objects to be ready`
    });
    const outcome = await (0,_kube_wait_js__WEBPACK_IMPORTED_MODULE_12__/* .waitForObjects */ .Ld)(cluster, applied.applied.map(a => a.ref), {
        timeoutMs: Math.max(0, deadline - ctx.clock.now()),
        signal: ctx.signal,
        clock: ctx.clock,
        failFast: true
    });
    if (outcome.result !== 'done') {
        const culprit = outcome.failure?.ref ?? outcome.objects.find(o => o.state !== 'done')?.ref;
        const evidence = culprit
            ? await (0,_kube_evidence_js__WEBPACK_IMPORTED_MODULE_7__/* .collectEvidence */ .m)(cluster, culprit).then(_kube_evidence_js__WEBPACK_IMPORTED_MODULE_7__/* .formatEvidence */ .V, e => `evidence unavailable: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .errorMessage */ .gJ)(e)}`)
            : undefined;
        checks.push((0,_checks_result_js__WEBPACK_IMPORTED_MODULE_0__/* .checkResult */ .iJ)('ready', culprit ? (0,_kube_types_js__WEBPACK_IMPORTED_MODULE_10__/* .describeRef */ .Ro)(culprit) : phase.name, {
            verdict: outcome.result === 'cancelled'
                ? 'cancelled'
                : outcome.result === 'error'
                    ? 'error'
                    : 'fail',
            message: outcome.message,
            evidence,
            adjustment: outcome.result === 'timeout'
                ? `still progressing after ${(0,_core_duration_js__WEBPACK_IMPORTED_MODULE_3__/* .formatDuration */ .a3)(timeoutMs)}: raise the phase timeout, or fix what the evidence shows`
                : 'fix what the evidence shows, then re-run the phase',
            location
        }));
        return fail(outcome.result === 'cancelled'
            ? 'cancelled while waiting'
            : (outcome.failure?.reason ?? outcome.result));
    }
    checks.push((0,_checks_result_js__WEBPACK_IMPORTED_MODULE_0__/* .checkResult */ .iJ)('ready', phase.name, {
        verdict: 'pass',
        message: `all ${applied.applied.length} objects ready in ${(0,_core_duration_js__WEBPACK_IMPORTED_MODULE_3__/* .formatDuration */ .a3)(outcome.durationMs)}`,
        location
    }));
    if (phase.validate?.length) {
        ctx.progress({
            gate: 'phase',
            activity: `${phase.name}: ${phase.validate.length} validation checks`
        });
        const appliedObjects = applied.applied
            .map(a => a.after)
            .filter((o) => o !== undefined);
        const results = await (0,_checks_validation_js__WEBPACK_IMPORTED_MODULE_1__/* .runValidations */ .s8)(phase.validate, { ...ctx, applied: appliedObjects, deadline }, ['phases', index, 'validate']);
        checks.push(...results);
        if (ctx.signal.aborted)
            return fail('cancelled while validating');
        if (!results.every(r => (0,_report_model_js__WEBPACK_IMPORTED_MODULE_15__/* .isPassing */ .WG)(r.verdict)))
            return fail('validation failed');
    }
    rec.status = 'applied';
    rec.finishedAt = new Date(ctx.clock.now()).toISOString();
    await record.writePhase(rec);
    await record
        .updateIndex(index => {
        const run = index.runs.find(r => r.runId === ctx.runId);
        if (run) {
            if (!run.phases.includes(phase.name))
                run.phases.push(phase.name);
        }
        else
            index.runs.push({
                runId: ctx.runId,
                startedAt: new Date(started).toISOString(),
                phases: [phase.name]
            });
    })
        .catch(err => ctx.log.warn(`state record: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .errorMessage */ .gJ)(err)}`));
    return done();
}
/** Moves the target to `packaged` before a run's first phase applies (never back from a later state of this run). */
async function markPackaged(ctx, record, reason, notes) {
    const outcome = await (0,_kube_pre_deployment_js__WEBPACK_IMPORTED_MODULE_8__/* .recordPreDeployment */ .qF)(record, 'packaged', ctx.runId, reason, new Date(ctx.clock.now()).toISOString());
    if (outcome.recorded || outcome.blocker?.ownProgress)
        return;
    const why = outcome.blocker?.message ?? 'unknown';
    ctx.log.warn(`state record: packaged not recorded: ${why}`);
    notes.push(`deployment state not moved to packaged: ${why}`);
}
const phaseGate = {
    name: 'phase',
    async run(ctx) {
        const all = ctx.loaded.plan.phases ?? [];
        const selected = ctx.settings.phase ? all.filter(p => p.name === ctx.settings.phase) : all;
        if (ctx.settings.phase && selected.length === 0)
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UsageError */ .eb(`no phase named "${ctx.settings.phase}"; phases: ${all.map(p => p.name).join(', ') || 'none'}`);
        const results = [];
        for (const p of selected) {
            if (ctx.signal.aborted)
                break;
            const r = await runPhase(ctx, p, all.indexOf(p));
            results.push(r);
            // A failed phase stops the deployment: later phases build on it.
            if (!(0,_report_model_js__WEBPACK_IMPORTED_MODULE_15__/* .isPassing */ .WG)(r.verdict))
                break;
        }
        if (results.length === 0)
            results.push((0,_report_model_js__WEBPACK_IMPORTED_MODULE_15__/* .gateResult */ .xp)('phase', ctx.clock.now(), [], {
                now: ctx.clock.now(),
                verdict: 'skip',
                notes: ['the plan has no phases']
            }));
        return results;
    }
};
/** Phase records of this run that a killed job left half-done (for the post step). */
function interrupted(records) {
    return records.filter(r => r.status === 'applying' || r.status === 'rolling-back');
}


/***/ }),

/***/ 7345:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  sh: () => (/* binding */ RECORD_FILES),
  bk: () => (/* binding */ readReportsDir),
  RX: () => (/* binding */ recordGate)
});

// UNUSED EXPORTS: accessPoint, digestOf, healthCommands, isRunReport, realityCheckDigests, replicasOf, secretRefsOf, selectorString, workloadImages

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/checks/result.ts
var result = __webpack_require__(7076);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/core/secrets.ts
var secrets = __webpack_require__(8198);
// EXTERNAL MODULE: ./src/kube/apply.ts
var apply = __webpack_require__(9501);
// EXTERNAL MODULE: ./src/kube/labels.ts
var labels = __webpack_require__(8550);
// EXTERNAL MODULE: ./src/kube/readiness.ts
var readiness = __webpack_require__(5153);
// EXTERNAL MODULE: ./src/kube/state-record.ts
var state_record = __webpack_require__(8076);
// EXTERNAL MODULE: ./src/plan/budgets.ts
var budgets = __webpack_require__(6817);
// EXTERNAL MODULE: ./src/registry/reference.ts
var reference = __webpack_require__(9310);
// EXTERNAL MODULE: ./src/core/duration.ts
var duration = __webpack_require__(8571);
// EXTERNAL MODULE: ./src/report/format.ts
var format = __webpack_require__(2011);
// EXTERNAL MODULE: ./src/report/model.ts
var model = __webpack_require__(6867);
;// CONCATENATED MODULE: ./src/report/incident.ts
/**
 * The incident section of the deployment record: when a gate failed or a
 * rollback ran, what happened and when (first bad sample, trigger, rollback
 * level, recovered at, time to recover against the level's budget), the
 * evidence, what undo kept, and the follow-ups still open. Built from the
 * reports alone (the record gate reads no more for it); gates that know
 * their own timeline precisely (the soak gate) hand it over in
 * `details.incident`, the rollout gate in `details.trigger`.
 */




const EVIDENCE_MAX = 1500;
const str = (v) => (typeof v === 'string' && v ? v : undefined);
const num = (v) => typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const iso = (ms) => new Date(ms).toISOString();
const endOf = (g) => Date.parse(g.startedAt) + g.durationMs;
const bad = (v) => v === 'fail' || v === 'error';
function sourceOf(g) {
    return (0,format/* gateTitle */.KS)(g);
}
/** Gate results of the reports in the order they ran, each once, the record gate's own left out. */
function occurrences(reports) {
    const seen = new Set();
    const out = [];
    for (const report of reports)
        for (const gate of report.gates) {
            if (gate.gate === 'record')
                continue;
            const k = `${report.runId}/${gate.gate}/${gate.name ?? ''}/${gate.startedAt}`;
            if (seen.has(k))
                continue;
            seen.add(k);
            out.push({ report, gate });
        }
    return out.sort((a, b) => a.gate.startedAt.localeCompare(b.gate.startedAt));
}
function rollbackChecks(g) {
    return g.checks.filter(c => c.kind === 'rollback');
}
/** The rollbacks a gate ran, each with its timing. */
function rollbacksOf(g) {
    const end = endOf(g);
    const source = sourceOf(g);
    const trig = g.details?.trigger;
    return rollbackChecks(g).map(c => {
        const d = c.data ?? {};
        const durationMs = num(d.durationMs) ?? (c.durationMs || undefined);
        const level = str(d.level) ??
            (g.gate === 'rollback'
                ? (g.name ?? 'rollback')
                : g.gate === 'rollout' && /0%/.test(c.target)
                    ? '0%'
                    : 'undo');
        // The canary's move to 0 % has exact times in the rollout's trigger details.
        const finished = level === '0%' && str(trig?.rolledBackAt)
            ? Date.parse(str(trig?.rolledBackAt))
            : end;
        const started = g.gate === 'rollback'
            ? Date.parse(g.startedAt)
            : durationMs !== undefined
                ? finished - durationMs
                : undefined;
        return {
            source,
            level,
            startedAt: started !== undefined ? iso(started) : undefined,
            finishedAt: iso(finished),
            verdict: c.verdict,
            message: c.message,
            durationMs,
            budgetMs: num(d.budgetMs) ?? (g.gate === 'rollback' ? g.budgetMs : undefined)
        };
    });
}
/** When the trigger of a failed gate happened, from the best source it has. */
function triggerOf(g) {
    const hint = g.details?.incident;
    if (hint?.triggerAt)
        return {
            at: Date.parse(hint.triggerAt),
            message: hint.trigger,
            firstBadAt: hint.firstBadAt ? Date.parse(hint.firstBadAt) : undefined
        };
    if (g.gate === 'rollback')
        return {
            at: Date.parse(g.startedAt),
            message: `the ${g.name ?? ''} rollback level was run by hand (--gate rollback)`.replace('  ', ' ')
        };
    const failing = g.checks.find(c => bad(c.verdict) && c.kind !== 'rollback') ??
        g.checks.find(c => bad(c.verdict));
    const trig = g.details?.trigger;
    if (trig && str(trig.at)) {
        const samples = (failing?.data?.samples ?? trig.samples);
        const first = Array.isArray(samples)
            ? samples.find(s => s.crossed && typeof s.at === 'number')
            : undefined;
        return {
            at: Date.parse(str(trig.at)),
            message: str(trig.message) ?? failing?.message ?? 'rollback triggered',
            checkId: failing?.id,
            firstBadAt: first?.at !== undefined ? first.at : undefined
        };
    }
    // Without timestamps per check: the gate failed when its own rollback began, else when it ended.
    const rollbackMs = rollbackChecks(g).reduce((s, c) => s + (num(c.data?.durationMs) ?? c.durationMs ?? 0), 0);
    return {
        at: endOf(g) - rollbackMs,
        message: failing
            ? `${failing.kind} ${failing.target}: ${failing.message}`
            : `${sourceOf(g)} ${g.verdict}`,
        checkId: failing?.id
    };
}
/** The incident of these reports, or undefined when no gate failed and no rollback ran. */
function buildIncident(reports) {
    const all = occurrences(reports);
    const involved = all.filter(({ gate }) => bad(gate.verdict) ||
        gate.gate === 'rollback' ||
        rollbackChecks(gate).length > 0 ||
        gate.details?.incident !== undefined);
    if (involved.length === 0)
        return undefined;
    const first = involved.find(({ gate }) => gate.gate !== 'rollback') ?? involved[0];
    const t = triggerOf(first.gate);
    const hint = first.gate.details?.incident;
    const timeline = [];
    const step = (at, what, source) => {
        timeline.push({ at: typeof at === 'number' ? iso(at) : at, what: (0,secrets/* redact */.E$)(what), source });
    };
    if (t.firstBadAt !== undefined)
        step(t.firstBadAt, 'first bad sample', sourceOf(first.gate));
    step(t.at, `trigger: ${t.message}`, sourceOf(first.gate));
    const rollbacks = involved
        .flatMap(({ gate }) => rollbacksOf(gate))
        .filter(r => Date.parse(r.finishedAt) >= t.at - 1000);
    for (const r of rollbacks) {
        const budget = r.budgetMs ? ` (budget ${(0,duration/* formatDuration */.a3)(r.budgetMs)})` : '';
        if (r.startedAt)
            step(r.startedAt, `${r.level} rollback started${budget}`, r.source);
        step(r.finishedAt, `${r.level} rollback ${(0,model/* isPassing */.WG)(r.verdict) ? 'verified' : `${r.verdict}`}: ${r.message}`, r.source);
    }
    for (const { gate } of involved)
        if (gate !== first.gate &&
            bad(gate.verdict) &&
            gate.gate !== 'rollback' &&
            rollbackChecks(gate).length === 0)
            step(endOf(gate), `${sourceOf(gate)} ${gate.verdict}: ${gate.checks.find(c => bad(c.verdict))?.message ?? ''}`.trim(), sourceOf(gate));
    const last = rollbacks.at(-1);
    const status = !last
        ? 'no-rollback'
        : (0,model/* isPassing */.WG)(last.verdict)
            ? 'recovered'
            : 'not-recovered';
    const recoveredAt = status === 'recovered' ? (hint?.recoveredAt ?? last?.finishedAt) : undefined;
    if (recoveredAt)
        step(recoveredAt, 'recovered: the previous version serves again', last?.source ?? sourceOf(first.gate));
    timeline.sort((a, b) => a.at.localeCompare(b.at));
    const budgetMs = hint?.budgetMs ?? last?.budgetMs;
    const timeToRecoverMs = recoveredAt ? Math.max(0, Date.parse(recoveredAt) - t.at) : undefined;
    const evidence = involved
        .flatMap(({ gate }) => gate.checks
        .filter(c => bad(c.verdict) && (c.evidence || c.kind !== 'rollback'))
        .map(c => ({
        source: sourceOf(gate),
        check: `${c.kind} ${c.target}`,
        text: (0,secrets/* redact */.E$)((c.evidence ?? c.message).slice(-EVIDENCE_MAX))
    })))
        .slice(0, 6);
    const kept = [
        ...new Set(involved.flatMap(({ gate }) => rollbackChecks(gate).flatMap(c => Array.isArray(c.data?.kept)
            ? c.data.kept.filter((k) => typeof k === 'string')
            : [])))
    ];
    const followUps = [`find and fix the cause of: ${t.message}`];
    for (const { gate } of involved)
        for (const c of gate.checks)
            if (bad(c.verdict) && c.adjustment && !followUps.includes(c.adjustment))
                followUps.push(c.adjustment);
    if (status === 'not-recovered' && last)
        followUps.push(`the ${last.level} rollback did not complete (${last.message}): check the target by hand and escalate to the next rollback level`);
    if (status === 'no-rollback')
        followUps.push('nothing was rolled back: decide whether the target needs a rollback level (phase-gate check <plan> --gate rollback --level <flag|config|code>)');
    for (const r of rollbacks)
        if (r.durationMs !== undefined && r.budgetMs !== undefined && r.durationMs > r.budgetMs)
            followUps.push(`the ${r.level} rollback took ${(0,duration/* formatDuration */.a3)(r.durationMs)} of its ${(0,duration/* formatDuration */.a3)(r.budgetMs)} budget: make it faster or raise the budget`);
    for (const k of kept)
        followUps.push(`${k} was kept by the undo (it holds data): delete it when it is no longer needed`);
    return {
        runIds: [...new Set(involved.map(o => o.report.runId))],
        status,
        trigger: {
            source: sourceOf(first.gate),
            at: iso(t.at),
            message: (0,secrets/* redact */.E$)(t.message),
            checkId: t.checkId
        },
        firstBadAt: t.firstBadAt !== undefined ? iso(t.firstBadAt) : undefined,
        rollbacks,
        recoveredAt,
        timeToRecoverMs,
        budgetMs,
        withinBudget: timeToRecoverMs !== undefined && budgetMs !== undefined
            ? timeToRecoverMs <= budgetMs
            : undefined,
        timeline,
        evidence,
        kept,
        followUps: followUps.slice(0, 12).map(secrets/* redact */.E$)
    };
}
function clock(at) {
    return at.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}
/** The incident as a Markdown section (`## Incident`). */
function renderIncident(i) {
    const out = ['## Incident', ''];
    const ttr = i.timeToRecoverMs !== undefined
        ? `${(0,duration/* formatDuration */.a3)(i.timeToRecoverMs)}${i.budgetMs !== undefined ? ` of the ${(0,duration/* formatDuration */.a3)(i.budgetMs)} budget${i.withinBudget === false ? ' (over budget)' : ''}` : ''}`
        : undefined;
    const status = i.status === 'recovered'
        ? `✅ recovered at ${clock(i.recoveredAt ?? '')}${ttr ? `, ${ttr} after the trigger` : ''}`
        : i.status === 'not-recovered'
            ? '❌ not recovered: the rollback did not complete'
            : '⚠️ nothing was rolled back';
    out.push(`**Status:** ${status}  `, `**Trigger:** ${i.trigger.source}: ${i.trigger.message}  `);
    if (i.firstBadAt) {
        const detect = Date.parse(i.trigger.at) - Date.parse(i.firstBadAt);
        out.push(`**First bad sample:** ${clock(i.firstBadAt)} (detected ${(0,duration/* formatDuration */.a3)(Math.max(0, detect))} later)  `);
    }
    const level = i.rollbacks.at(-1);
    if (level)
        out.push(`**Rollback level:** ${level.level}${level.budgetMs ? ` (budget ${(0,duration/* formatDuration */.a3)(level.budgetMs)})` : ''}  `);
    if (ttr)
        out.push(`**Time to recover:** ${ttr}  `);
    out.push('', '### Timeline', '', '| time | source | event |', '| --- | --- | --- |');
    for (const s of i.timeline)
        out.push(`| ${clock(s.at)} | ${(0,format/* cell */.Hn)(s.source)} | ${(0,format/* cell */.Hn)(s.what)} |`);
    if (i.evidence.length) {
        out.push('', '### Evidence', '');
        for (const e of i.evidence)
            out.push(`<details><summary>${e.source}: ${e.check.replace(/</g, '&lt;')}</summary>`, '', '```text', e.text.replace(/```/g, "'''"), '```', '', '</details>', '');
    }
    out.push('', '### Kept', '');
    out.push(i.kept.length
        ? i.kept.map(k => `- ${k}`).join('\n')
        : '- nothing: the rollback kept no object of its own accord');
    out.push('', '### Open follow-ups', '', ...i.followUps.map(f => `- [ ] ${f}`), '');
    return out.join('\n');
}
/** The incident section for these reports, or undefined when there was no incident (one call for the record gate). */
function incidentSection(reports) {
    const incident = buildIncident(reports);
    return incident ? { incident, markdown: renderIncident(incident) } : undefined;
}

;// CONCATENATED MODULE: ./src/report/record.ts
/**
 * The deployment record and retrospective (DESIGN "Deployment record"): what
 * was deployed where and when, its state, how to reach and operate it, the
 * credentials it uses (references only), known issues with workarounds, and
 * what diverged from the plan. The record gate gathers the facts (reports
 * and the live cluster); this module derives the retrospective from the
 * reports, decides the state reached and renders Markdown. The JSON form is
 * the `DeploymentRecord` object itself.
 */





const RECORD_SCHEMA_VERSION = 1;
/** The states of DESIGN "Deployment states", in the order a deployment moves through them. */
const DEPLOYMENT_STATES = [
    'images-ready',
    'packaged',
    'deploying',
    'active',
    'stable',
    'degraded',
    'rolling-back',
    'previous-stable',
    'failed'
];
// ------------------------------------------------------------------ reports
function reportKey(r) {
    return [
        r.runId,
        r.startedAt,
        r.finishedAt,
        r.gates.map(g => `${g.gate}/${g.name ?? ''}/${g.startedAt}`).join(',')
    ].join('|');
}
/** Reports in the order they ran, duplicates dropped; a report that is a prefix of a later one of the same call (the engine's run so far) is dropped too. */
function mergeReports(reports) {
    const seen = new Map();
    for (const r of reports)
        seen.set(reportKey(r), r);
    const all = [...seen.values()];
    const kept = all.filter(r => !all.some(o => o !== r &&
        o.runId === r.runId &&
        o.startedAt === r.startedAt &&
        o.gates.length > r.gates.length &&
        r.gates.every((g, i) => o.gates[i]?.gate === g.gate &&
            o.gates[i]?.startedAt === g.startedAt &&
            o.gates[i]?.name === g.name)));
    return kept.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.finishedAt.localeCompare(b.finishedAt));
}
/** Every gate result of the reports in the order they ran, the record gate's own left out. */
function gateOccurrences(reports) {
    return mergeReports(reports).flatMap(report => report.gates.filter(g => g.gate !== 'record').map(gate => ({ report, gate })));
}
const isFailing = (v) => v === 'fail' || v === 'error' || v === 'cancelled' || v === 'inconclusive';
function checkKey(g, c) {
    return `${g.gate}/${g.name ?? ''}/${c.id}`;
}
/** The verdict the deployment stands at: the latest result of each gate (and phase, stage, level) combined; `skip` without reports. */
function standingVerdict(reports) {
    const latest = new Map();
    for (const { gate } of gateOccurrences(reports))
        latest.set(`${gate.gate}/${gate.name ?? ''}`, gate.verdict);
    return latest.size ? (0,model/* combineVerdicts */.aG)(latest.values()) : 'skip';
}
/** Warnings and failures whose latest occurrence still stands, failures first. */
function knownIssues(reports) {
    const latest = new Map();
    for (const { gate, report } of gateOccurrences(reports)) {
        for (const c of gate.checks) {
            latest.set(checkKey(gate, c), {
                gate: gate.gate,
                unit: gate.name,
                checkId: c.id,
                verdict: c.verdict,
                severity: c.severity,
                message: c.message,
                workaround: c.adjustment,
                at: gate.startedAt || report.startedAt,
                passing: c.verdict === 'pass' || c.verdict === 'skip'
            });
        }
    }
    const rank = (v) => (isFailing(v) ? 0 : 1);
    return [...latest.values()]
        .filter(i => !i.passing)
        .sort((a, b) => rank(a.verdict) - rank(b.verdict))
        .map(({ passing: _p, ...issue }) => issue);
}
/** The retrospective: fixed checks, time against budget, rollbacks, tracer bullets, and a line per divergence. */
function retrospect(reports) {
    const occurrences = gateOccurrences(reports);
    const fixed = [];
    const firstFailure = new Map();
    const times = [];
    const rollbacks = [];
    const tracers = [];
    for (const { report, gate } of occurrences) {
        times.push({
            gate: gate.gate,
            name: gate.name,
            runId: report.runId,
            startedAt: gate.startedAt,
            verdict: gate.verdict,
            durationMs: gate.durationMs,
            budgetMs: gate.budgetMs,
            overBudget: gate.budgetMs !== undefined && gate.durationMs > gate.budgetMs
        });
        for (const c of gate.checks) {
            const k = checkKey(gate, c);
            if (isFailing(c.verdict) && c.verdict !== 'cancelled') {
                if (!firstFailure.has(k))
                    firstFailure.set(k, { gate, check: c, runId: report.runId });
            }
            else if (c.verdict === 'pass' || c.verdict === 'warn') {
                const f = firstFailure.get(k);
                if (f) {
                    fixed.push({
                        gate: gate.gate,
                        unit: gate.name,
                        checkId: c.id,
                        failed: {
                            verdict: f.check.verdict,
                            message: f.check.message,
                            at: f.gate.startedAt,
                            runId: f.runId
                        },
                        passed: {
                            verdict: c.verdict,
                            message: c.message,
                            at: gate.startedAt,
                            runId: report.runId
                        },
                        adjustment: f.check.adjustment
                    });
                    firstFailure.delete(k);
                }
            }
            if (gate.gate === 'rollback' || c.kind === 'rollback')
                rollbacks.push({
                    gate: gate.gate,
                    unit: gate.name,
                    target: c.target,
                    verdict: c.verdict,
                    message: c.message,
                    at: gate.startedAt
                });
            if (gate.gate === 'tracer' && c.kind === 'tracer')
                tracers.push({
                    bullet: c.target,
                    assumption: typeof c.data?.assumption === 'string' ? c.data.assumption : undefined,
                    verdict: c.verdict,
                    message: c.message,
                    evidence: c.evidence,
                    action: c.adjustment,
                    at: gate.startedAt
                });
        }
    }
    const overBudget = times.filter(t => t.overBudget);
    const divergences = [
        ...fixed.map(f => `${f.checkId} (${(0,format/* gateTitle */.KS)({ gate: f.gate, name: f.unit })}) failed (${f.failed.message}) and passed later${f.passed.runId !== f.failed.runId ? ` in run ${f.passed.runId}` : ''}`),
        ...overBudget.map(t => `${(0,format/* gateTitle */.KS)(t)} took ${(0,duration/* formatDuration */.a3)(t.durationMs)} against a budget of ${(0,duration/* formatDuration */.a3)(t.budgetMs ?? 0)}`),
        ...rollbacks.map(r => `rollback ${r.target} (${(0,format/* gateTitle */.KS)({ gate: r.gate, name: r.unit })}): ${r.verdict}: ${r.message}`),
        ...tracers
            .filter(t => t.verdict !== 'pass')
            .map(t => `tracer ${t.bullet}: ${t.assumption ? `the assumption "${t.assumption}" did not hold: ` : ''}${t.message}`),
        // Tracer bullets and rollbacks are listed above already.
        ...[...firstFailure.values()]
            .filter(f => f.check.kind !== 'tracer' && f.check.kind !== 'rollback')
            .map(f => `${f.check.id} (${(0,format/* gateTitle */.KS)(f.gate)}) failed and was not fixed: ${f.check.message}`)
    ];
    return { divergences, fixed, overBudget, rollbacks, tracers, times };
}
function isDeploymentState(v) {
    return typeof v === 'string' && DEPLOYMENT_STATES.includes(v);
}
/** A state a gate declares in `details.state`: the state itself, or the index's `{current}` after the gate (soak). */
function declaredState(v) {
    if (isDeploymentState(v))
        return v;
    const current = v && typeof v === 'object' ? v.current : undefined;
    return isDeploymentState(current) ? current : undefined;
}
/**
 * The state the reports say the target reached: reality check passed →
 * images-ready; a phase applied → deploying; validated → active; a phase
 * that failed and was rolled back → previous-stable (failed when the
 * rollback failed); a rollback level → previous-stable; soak → stable or
 * degraded; a rollout stage at 100 % → active, a rollout trigger →
 * previous-stable. A gate may state it outright in `details.state` (the
 * state, or `{current}` as the soak gate writes it). Undefined when
 * the reports say nothing about it.
 */
function deriveState(reports) {
    let s;
    for (const { gate: g } of gateOccurrences(reports)) {
        const declared = declaredState(g.details?.state);
        if (declared) {
            s = declared;
            continue;
        }
        const passing = (0,model/* isPassing */.WG)(g.verdict) && g.verdict !== 'skip';
        const undo = g.checks.filter(c => c.kind === 'rollback');
        switch (g.gate) {
            case 'reality-check':
                if (passing && s === undefined)
                    s = 'images-ready';
                break;
            case 'phase':
                if (passing)
                    s = 'deploying';
                else if (undo.length)
                    s = undo.every(c => (0,model/* isPassing */.WG)(c.verdict)) ? 'previous-stable' : 'failed';
                // A phase refused before it changed anything leaves the state as it was.
                else if (g.checks.some(c => c.kind === 'apply' && c.verdict === 'pass'))
                    s = 'failed';
                break;
            case 'validate':
                if (passing)
                    s = 'active';
                break;
            case 'rollout':
                // A trigger moved the canary back; otherwise a stage at 100 % is the full rollout.
                if (g.details?.trigger)
                    s = undo.length && !undo.every(c => (0,model/* isPassing */.WG)(c.verdict)) ? 'failed' : 'previous-stable';
                else if (passing)
                    s = Number(g.details?.weight) >= 100 ? 'active' : 'deploying';
                break;
            case 'rollback':
                if (g.verdict !== 'skip')
                    s = (0,model/* isPassing */.WG)(g.verdict) ? 'previous-stable' : 'failed';
                break;
            case 'soak':
                if (g.verdict !== 'skip')
                    s = (0,model/* isPassing */.WG)(g.verdict) ? 'stable' : 'degraded';
                break;
            default:
                break;
        }
    }
    return s;
}
/** The state to record: what the reports say, else the index's last transition of these runs, else not deployed. */
function chooseState(derived, index, runs) {
    const history = (index?.history ?? []).filter(h => runs.includes(h.runId));
    const base = { current: index?.state, since: index?.stateSince, history };
    if (derived)
        return { reached: derived, source: 'reports', ...base };
    const last = history[history.length - 1];
    if (last)
        return { reached: last.state, source: 'state-record', ...base };
    return { reached: 'not-deployed', source: 'none', ...base };
}
// ------------------------------------------------------------------ operations
const SHORT_KIND = {
    Deployment: 'deploy',
    StatefulSet: 'sts',
    DaemonSet: 'ds'
};
/** The health, logs, restart and rollback commands of a workload. */
function workloadCommands(kind, name, namespace) {
    const ref = `${SHORT_KIND[kind] ?? kind.toLowerCase()}/${name}`;
    const k = `kubectl -n ${namespace}`;
    return {
        health: `${k} rollout status ${ref}`,
        logs: `${k} logs ${ref} --tail=100`,
        restart: `${k} rollout restart ${ref}`,
        rollback: `${k} rollout undo ${ref}`
    };
}
// ------------------------------------------------------------------ Markdown
const STATE_WORDS = {
    'images-ready': 'images ready (nothing applied yet)',
    packaged: 'packaged',
    deploying: 'deploying (applied, not validated)',
    active: 'active (validated)',
    stable: 'stable (healthy through the soak)',
    degraded: 'degraded',
    'rolling-back': 'rolling back',
    'previous-stable': 'previous stable (rolled back)',
    failed: 'failed (rollback incomplete: see known issues)',
    'not-deployed': 'not deployed'
};
function code(text) {
    return `\`${text.replace(/`/g, "'")}\``;
}
function when(iso) {
    if (!iso)
        return '—';
    return iso
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z')
        .replace(/Z$/, ' UTC');
}
function firstLine(text, max = 300) {
    const line = text.split('\n')[0];
    return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
function replicasText(w) {
    const r = w.replicas;
    return `${r.ready}/${r.desired ?? '?'} ready${r.updated !== undefined ? `, ${r.updated} updated` : ''}${r.available !== undefined ? `, ${r.available} available` : ''}`;
}
function imageText(i) {
    const digest = i.digest ? `@${i.digest}` : '';
    const pinned = i.digest && i.image.includes('@') ? i.image : `${i.image}${digest}`;
    const source = i.digest
        ? ` (${i.digestSource === 'node' ? 'running' : i.digestSource === 'reference' ? 'pinned' : i.digestSource === 'reality-check' ? 'registry, at the reality check' : 'registry'})`
        : ' (digest unknown: the node reported no imageID)';
    return `${i.init ? 'init ' : ''}${i.container}: ${code(pinned)}${source}`;
}
function architectureChart(edges) {
    if (edges.length === 0)
        return [];
    const ids = new Map();
    const id = (n) => {
        if (!ids.has(n))
            ids.set(n, `n${ids.size}`);
        return ids.get(n);
    };
    const lines = ['```mermaid', 'flowchart LR'];
    for (const e of edges)
        lines.push(`  ${id(e.from)}["${e.from.replace(/"/g, "'")}"] --> ${id(e.to)}["${e.to.replace(/"/g, "'")}"]`);
    lines.push('```');
    return lines;
}
/** The deployment record as Markdown (secrets redacted; credentials are references only). */
function renderRecord(r) {
    const out = [];
    const push = (...lines) => void out.push(...lines);
    const ns = r.target.namespace;
    push(`# Deployment record: ${r.plan}${r.version.label ? ` ${r.version.label}` : ''}`, '');
    push('| | |', '| --- | --- |', `| Deployed | ${r.deployedAt ? when(r.deployedAt) : 'not deployed'} |`, `| Target | namespace ${code(ns)}${r.target.context ? `, context ${code(r.target.context)}` : ''}${r.target.server ? `, server ${(0,format/* cell */.Hn)(r.target.server)}` : ''} |`, `| Plan | ${r.planFile ? `${code(r.planFile)} ` : ''}(${(0,format/* cell */.Hn)(r.plan)}) |`, `| Version | ${(0,format/* cell */.Hn)(r.version.label || '—')}${r.version.commit ? `, commit ${code(r.version.commit.slice(0, 12))}` : ''}; phase-gate ${(0,format/* cell */.Hn)(r.version.tool)} |`, `| Run | ${code(r.runId)}${r.runs.length > 1 ? ` (reports of ${r.runs.map(code).join(', ')})` : ''} |`, `| Outcome | ${format/* VERDICT_ICON */.YY[r.outcome]} ${r.outcome} |`, `| State reached | **${STATE_WORDS[r.state.reached]}**${r.state.current && r.state.current !== r.state.reached ? `; the state record says ${code(r.state.current)}` : ''}${r.state.since ? ` since ${when(r.state.since)}` : ''} |`, ...(r.owners?.length ? [`| Owners | ${(0,format/* cell */.Hn)(r.owners.join(', '))} |`] : []), ...(r.ticket ? [`| Ticket | ${(0,format/* cell */.Hn)(r.ticket)} |`] : []), `| Recorded | ${when(r.recordedAt)} |`, '');
    push('## What was deployed', '');
    if (r.phases.length === 0)
        push('No phase of this run is recorded in the cluster: nothing was applied.', '');
    for (const p of r.phases) {
        push(`### Phase ${code(p.name)}: ${p.status}`, '');
        push(`Started ${when(p.startedAt)}${p.finishedAt ? `, finished ${when(p.finishedAt)}` : ''}.`, '');
        if (p.helm)
            push(`Helm release ${code(p.helm.release)} in ${code(p.helm.namespace)}: revision ${p.helm.revisionBefore ?? 'none'} → ${p.helm.revisionAfter ?? '?'}.`, '');
        if (p.objects.length) {
            push('| Object | Change | Live status |', '| --- | --- | --- |');
            for (const o of p.objects)
                push(`| ${(0,format/* cell */.Hn)(`${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`)} | ${o.created ? 'created' : 'updated'}${o.kept ? ', kept on undo' : ''} | ${(0,format/* cell */.Hn)(o.status)}${o.message ? `: ${(0,format/* cell */.Hn)(firstLine(o.message, 160))}` : ''} |`);
            push('');
        }
    }
    const chart = architectureChart(r.architecture);
    if (chart.length)
        push('### Architecture', '', ...chart, '');
    push('## Components', '');
    if (r.workloads.length === 0)
        push('No workloads (Deployment, StatefulSet, DaemonSet).', '');
    else {
        push('| Workload | Replicas | Status | Images |', '| --- | --- | --- | --- |');
        for (const w of r.workloads)
            push(`| ${(0,format/* cell */.Hn)(`${w.kind} ${w.name}`)} | ${(0,format/* cell */.Hn)(replicasText(w))} | ${(0,format/* cell */.Hn)(w.status)}${w.message ? `: ${(0,format/* cell */.Hn)(firstLine(w.message, 160))}` : ''} | ${w.images.map(i => (0,format/* cell */.Hn)(imageText(i))).join('<br>')} |`);
        push('');
    }
    push('## Access', '');
    if (r.access.length === 0)
        push('No Service, Ingress, Route or HTTPRoute.', '');
    else {
        push('| Kind | Name | Hosts and ports | Paths | Reach it at |', '| --- | --- | --- | --- | --- |');
        for (const a of r.access)
            push(`| ${a.kind}${a.type ? ` (${(0,format/* cell */.Hn)(a.type)})` : ''} | ${(0,format/* cell */.Hn)(a.name)} | ${(0,format/* cell */.Hn)([...a.hosts, ...a.ports].join(', ') || '—')} | ${(0,format/* cell */.Hn)(a.paths.join(', ') || '—')} | ${a.urls.map(u => (0,format/* cell */.Hn)(code(u))).join('<br>') || '—'} |`);
        push('');
    }
    push('## Operations', '');
    if (r.healthChecks.length)
        push('Health checks of the plan, by hand:', '', '```sh', ...r.healthChecks, '```', '');
    for (const w of r.workloads) {
        push(`### ${w.kind} ${code(w.name)}`, '', '```sh');
        push(`# health`, w.commands.health, `# logs`, w.commands.logs, `# restart`, w.commands.restart, `# roll back to the previous revision`, w.commands.rollback, '```', '');
    }
    if (r.workloads.length === 0 && r.healthChecks.length === 0)
        push('Nothing to operate.', '');
    push('## Credentials', '', 'References only: read the values from the cluster when needed, never from this record.', '');
    if (r.credentials.length === 0)
        push('No Secret is referenced.', '');
    else {
        push('| Secret | Keys | Used by |', '| --- | --- | --- |');
        for (const c of r.credentials)
            push(`| ${code(`${c.namespace}/${c.secret}`)} | ${(0,format/* cell */.Hn)(c.keys.map(k => code(k)).join(', ') || '(all keys)')} | ${(0,format/* cell */.Hn)(c.usedBy.join('; '))} |`);
        push('', `Read one: ${code(`kubectl -n ${ns} get secret <name> -o jsonpath='{.data.<key>}' | base64 -d`)}`, '');
    }
    push('## Known issues', '');
    if (r.knownIssues.length === 0)
        push('None: no warning, no unresolved failure.', '');
    else {
        push('| | Gate | Check | Issue | Workaround |', '| --- | --- | --- | --- | --- |');
        for (const i of r.knownIssues)
            push(`| ${format/* VERDICT_ICON */.YY[i.verdict]} | ${(0,format/* cell */.Hn)((0,format/* gateTitle */.KS)({ gate: i.gate, name: i.unit }))} | ${(0,format/* cell */.Hn)(i.checkId)} | ${(0,format/* cell */.Hn)(firstLine(i.message))} | ${(0,format/* cell */.Hn)(i.workaround ? firstLine(i.workaround) : '—')} |`);
        push('');
    }
    if (r.incident)
        push(renderIncident(r.incident), '');
    const retro = r.retrospective;
    push('## Retrospective', '', '### What diverged from the plan', '');
    if (retro.divergences.length === 0)
        push('Nothing: every gate passed as planned, within its budget.', '');
    else
        push(...retro.divergences.map(d => `- ${firstLine(d, 400)}`), '');
    if (retro.tracers.length) {
        push('### Tracer bullets', '', '| Bullet | Assumption | Result | Evidence |', '| --- | --- | --- | --- |');
        for (const t of retro.tracers)
            push(`| ${(0,format/* cell */.Hn)(t.bullet)} | ${(0,format/* cell */.Hn)(t.assumption ?? '—')} | ${format/* VERDICT_ICON */.YY[t.verdict]} ${(0,format/* cell */.Hn)(firstLine(t.message, 200))} | ${(0,format/* cell */.Hn)(t.evidence ? firstLine(t.evidence, 200) : '—')} |`);
        push('');
    }
    if (retro.times.length) {
        push('### Time against budget', '', '| Gate | Run | Result | Time / budget |', '| --- | --- | --- | --- |');
        for (const t of retro.times)
            push(`| ${(0,format/* cell */.Hn)((0,format/* gateTitle */.KS)(t))} | ${code(t.runId)} | ${format/* VERDICT_ICON */.YY[t.verdict]} ${t.verdict} | ${(0,format/* timeAgainstBudget */.G5)(t.durationMs, t.budgetMs)} |`);
        push('');
    }
    if (r.state.history.length) {
        push('### State history', '', '| When | State | Run | Why |', '| --- | --- | --- | --- |');
        for (const h of r.state.history)
            push(`| ${when(h.at)} | ${h.state} | ${code(h.runId)} | ${(0,format/* cell */.Hn)(h.reason ?? '')} |`);
        push('');
    }
    push('## Sources', '');
    push(`- reports: ${r.sources.reports.length ? r.sources.reports.map(code).join(', ') : 'none'}`);
    push(`- state record in the cluster: ${r.sources.stateRecord}; live objects: ${r.sources.live}`);
    push(...r.sources.notes.map(n => `- ${n}`), '');
    return (0,secrets/* redact */.E$)(out.join('\n'));
}

// EXTERNAL MODULE: ./src/version.ts
var version = __webpack_require__(311);
// EXTERNAL MODULE: ./src/gates/validate.ts
var validate = __webpack_require__(2072);
;// CONCATENATED MODULE: ./src/gates/record.ts
/**
 * Gate V, record: the deployment record and retrospective, built from the
 * reports of the gates before it (`--reports DIR`, in CI the artifact
 * directory, plus this call's own earlier gates) and from the live cluster:
 * the state record's phase records, the objects as they are now, the pods'
 * image digests, the ways in, the Secrets referenced (names and keys only).
 * It runs even when the gates before it failed, so a failed or rolled-back
 * deployment gets its record too; its own verdict only says whether the
 * record could be made. It reads, never changes, the cluster.
 */
















const MAX_REPORT_BYTES = 20 << 20;
const MAX_DEPTH = 3;
const REGISTRY_TIMEOUT_MS = 15_000;
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const ACCESS_KINDS = new Set(['Service', 'Ingress', 'Route', 'HTTPRoute']);
/** What is listed by the plan's label when no phase record names the objects. */
const FALLBACK_KINDS = [
    { apiVersion: 'apps/v1', kind: 'Deployment' },
    { apiVersion: 'apps/v1', kind: 'StatefulSet' },
    { apiVersion: 'apps/v1', kind: 'DaemonSet' },
    { apiVersion: 'v1', kind: 'Service' },
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
    { apiVersion: 'route.openshift.io/v1', kind: 'Route' },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' }
];
/** The record's file names; the gate writes them beside the report (`--report`, the action's `report` output). */
const RECORD_FILES = { markdown: 'record.md', json: 'record.json' };
/** True when a parsed JSON value is a phase-gate RunReport. */
function isRunReport(v) {
    if (!v || typeof v !== 'object')
        return false;
    const r = v;
    return (r.schemaVersion === 1 &&
        r.tool?.name === 'phase-gate' &&
        typeof r.plan === 'string' &&
        typeof r.runId === 'string' &&
        Array.isArray(r.gates));
}
/** The reports of one plan in a directory and its subdirectories (download-artifact makes one per artifact); other files are listed as skipped. */
async function readReportsDir(dir, plan) {
    const reports = [];
    const skipped = [];
    const walk = async (d, depth) => {
        const entries = await (0,promises_.readdir)(d, { withFileTypes: true });
        for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
            const path = (0,external_node_path_.join)(d, e.name);
            const shown = (0,external_node_path_.relative)(dir, path) || e.name;
            if (e.isDirectory()) {
                if (depth < MAX_DEPTH)
                    await walk(path, depth + 1);
                continue;
            }
            if (!e.isFile() || !e.name.endsWith('.json'))
                continue;
            try {
                if ((await (0,promises_.stat)(path)).size > MAX_REPORT_BYTES) {
                    skipped.push({ file: shown, why: 'larger than 20 MB' });
                    continue;
                }
                const parsed = JSON.parse(await (0,promises_.readFile)(path, 'utf8'));
                if (!isRunReport(parsed)) {
                    // record.json and other artifacts sit beside the reports; they are not errors.
                    skipped.push({ file: shown, why: 'not a phase-gate report' });
                    continue;
                }
                if (parsed.plan !== plan) {
                    skipped.push({ file: shown, why: `a report of plan ${parsed.plan}` });
                    continue;
                }
                reports.push({ file: shown, report: parsed });
            }
            catch (err) {
                skipped.push({ file: shown, why: `unreadable: ${(0,errors/* errorMessage */.gJ)(err)}` });
            }
        }
    };
    await walk(dir, 0);
    return { reports, skipped };
}
// ------------------------------------------------------------------ live facts
const rec = (v) => v && typeof v === 'object' && !Array.isArray(v) ? v : {};
const arr = (v) => (Array.isArray(v) ? v.map(rec) : []);
const record_str = (v) => typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined;
const record_num = (v) => (typeof v === 'number' ? v : undefined);
/** A label selector (`matchLabels` and `matchExpressions`) as the `labelSelector` query parameter. */
function selectorString(selector) {
    const s = rec(selector);
    const parts = Object.entries(rec(s.matchLabels)).map(([k, v]) => `${k}=${String(v)}`);
    for (const e of arr(s.matchExpressions)) {
        const k = record_str(e.key);
        const values = (Array.isArray(e.values) ? e.values : []).map(String).join(',');
        if (!k)
            continue;
        if (e.operator === 'In')
            parts.push(`${k} in (${values})`);
        else if (e.operator === 'NotIn')
            parts.push(`${k} notin (${values})`);
        else if (e.operator === 'Exists')
            parts.push(k);
        else if (e.operator === 'DoesNotExist')
            parts.push(`!${k}`);
    }
    return parts.length ? parts.join(',') : undefined;
}
/** The sha256 digest in an imageID (`docker-pullable://repo@sha256:…`, `sha256:…`). */
function digestOf(imageId) {
    return /sha256:[a-f0-9]{64}/.exec(typeof imageId === 'string' ? imageId : '')?.[0];
}
function podSpecOf(o) {
    return rec(rec(rec(o.spec).template).spec);
}
/** The images of a workload's pod template, with the digests its pods run when they report them. */
function workloadImages(w, pods) {
    const spec = podSpecOf(w);
    const status = (s, init) => ({
        name: record_str(s.name),
        image: record_str(s.image),
        imageID: s.imageID,
        init
    });
    const statuses = pods.flatMap(p => [
        ...arr(rec(p.status).containerStatuses).map(s => status(s, false)),
        ...arr(rec(p.status).initContainerStatuses).map(s => status(s, true))
    ]);
    const images = [];
    for (const [list, init] of [
        [arr(spec.initContainers), true],
        [arr(spec.containers), false]
    ]) {
        for (const c of list) {
            const name = record_str(c.name) ?? '?';
            const image = record_str(c.image) ?? '?';
            const mine = statuses.filter(s => s.name === name && s.init === init);
            // Pods of an older revision may still run mid-rollout: prefer those running this image.
            const digest = digestOf(mine.find(s => s.image === image && digestOf(s.imageID))?.imageID) ??
                digestOf(mine.find(s => digestOf(s.imageID))?.imageID);
            const pinned = /@(sha256:[a-f0-9]{64})$/.exec(image)?.[1];
            const img = { container: name, image };
            if (init)
                img.init = true;
            if (digest)
                Object.assign(img, { digest, digestSource: 'node' });
            else if (pinned)
                Object.assign(img, { digest: pinned, digestSource: 'reference' });
            images.push(img);
        }
    }
    return images;
}
/** Replica counts of a workload from its status. */
function replicasOf(w) {
    const spec = rec(w.spec);
    const s = rec(w.status);
    if (w.kind === 'DaemonSet')
        return {
            desired: record_num(s.desiredNumberScheduled),
            ready: record_num(s.numberReady) ?? 0,
            available: record_num(s.numberAvailable),
            updated: record_num(s.updatedNumberScheduled)
        };
    return {
        desired: record_num(spec.replicas) ?? 1,
        ready: record_num(s.readyReplicas) ?? 0,
        available: record_num(s.availableReplicas),
        updated: record_num(s.updatedReplicas)
    };
}
function serviceUrls(svc) {
    const ns = svc.metadata.namespace ?? '';
    const spec = rec(svc.spec);
    const ports = arr(spec.ports);
    const urls = [];
    if (spec.type === 'ExternalName' && record_str(spec.externalName))
        return [record_str(spec.externalName)];
    for (const p of ports)
        urls.push(`${svc.metadata.name}.${ns}.svc.cluster.local:${record_str(p.port) ?? '?'}`);
    const lb = arr(rec(rec(svc.status).loadBalancer).ingress);
    for (const i of lb)
        for (const p of ports)
            urls.push(`${record_str(i.hostname) ?? record_str(i.ip)}:${record_str(p.port)}`);
    return urls;
}
/** Hosts, ports, paths and URLs of a Service, Ingress, Route or HTTPRoute. */
function accessPoint(o, gateways = new Map()) {
    const ns = o.metadata.namespace ?? '';
    const spec = rec(o.spec);
    const base = { name: o.metadata.name, namespace: ns };
    switch (o.kind) {
        case 'Service': {
            const ports = arr(spec.ports).map(p => `${record_str(p.name) ? `${record_str(p.name)} ` : ''}${record_str(p.port)}/${record_str(p.protocol) ?? 'TCP'}${p.targetPort !== undefined ? ` → ${record_str(p.targetPort)}` : ''}${p.nodePort ? ` (node port ${record_str(p.nodePort)})` : ''}`);
            const lbHosts = arr(rec(rec(o.status).loadBalancer).ingress).map(i => record_str(i.hostname) ?? record_str(i.ip) ?? '');
            return {
                kind: 'Service',
                ...base,
                type: record_str(spec.type) ?? 'ClusterIP',
                hosts: [
                    ...lbHosts,
                    ...(Array.isArray(spec.externalIPs) ? spec.externalIPs.map(String) : [])
                ].filter(Boolean),
                ports,
                paths: [],
                urls: serviceUrls(o),
                backends: []
            };
        }
        case 'Ingress': {
            const tlsHosts = new Set(arr(spec.tls).flatMap(t => (Array.isArray(t.hosts) ? t.hosts.map(String) : [])));
            const hosts = [];
            const paths = [];
            const urls = [];
            const backends = new Set();
            const defaultSvc = record_str(rec(rec(spec.defaultBackend).service).name);
            if (defaultSvc)
                backends.add(defaultSvc);
            for (const rule of arr(spec.rules)) {
                const host = record_str(rule.host);
                if (host)
                    hosts.push(host);
                for (const p of arr(rec(rule.http).paths)) {
                    const path = record_str(p.path) ?? '/';
                    paths.push(path);
                    const svc = record_str(rec(rec(p.backend).service).name);
                    if (svc)
                        backends.add(svc);
                    if (host)
                        urls.push(`${tlsHosts.has(host) ? 'https' : 'http'}://${host}${path}`);
                }
            }
            for (const i of arr(rec(rec(o.status).loadBalancer).ingress)) {
                const at = record_str(i.hostname) ?? record_str(i.ip);
                if (at && hosts.length === 0)
                    urls.push(`http://${at}/`);
            }
            return {
                kind: 'Ingress',
                ...base,
                type: record_str(spec.ingressClassName),
                hosts: [...new Set(hosts)],
                ports: [],
                paths: [...new Set(paths)],
                urls: [...new Set(urls)],
                backends: [...backends]
            };
        }
        case 'Route': {
            const host = record_str(spec.host) ?? record_str(arr(rec(o.status).ingress)[0]?.host);
            const path = record_str(spec.path) ?? '/';
            const tls = record_str(rec(spec.tls).termination);
            const backends = [
                record_str(rec(spec.to).name),
                ...arr(spec.alternateBackends).map(b => record_str(b.name))
            ].filter((x) => !!x);
            const port = record_str(rec(spec.port).targetPort);
            return {
                kind: 'Route',
                ...base,
                type: tls ? `TLS ${tls}` : 'plain HTTP',
                hosts: host ? [host] : [],
                ports: port ? [port] : [],
                paths: [path],
                urls: host ? [`${tls ? 'https' : 'http'}://${host}${path}`] : [],
                backends
            };
        }
        case 'HTTPRoute': {
            const hostnames = Array.isArray(spec.hostnames) ? spec.hostnames.map(String) : [];
            const parents = arr(spec.parentRefs).map(p => `${record_str(p.namespace) ?? ns}/${record_str(p.name) ?? '?'}`);
            const https = parents.some(p => arr(rec(gateways.get(p)?.spec).listeners).some(l => l.protocol === 'HTTPS'));
            const known = parents.some(p => gateways.has(p));
            const paths = [
                ...new Set(arr(spec.rules).flatMap(r => arr(r.matches).map(m => record_str(rec(m.path).value) ?? '/')))
            ];
            const shownPaths = paths.length ? paths : ['/'];
            const backends = [
                ...new Set(arr(spec.rules).flatMap(r => arr(r.backendRefs)
                    .map(b => record_str(b.name))
                    .filter((x) => !!x)))
            ];
            const scheme = known ? (https ? 'https://' : 'http://') : '';
            return {
                kind: 'HTTPRoute',
                ...base,
                type: parents.length ? `via ${parents.join(', ')}` : undefined,
                hosts: hostnames,
                ports: [],
                paths: shownPaths,
                urls: hostnames.flatMap(h => shownPaths.map(p => `${scheme}${h}${p}`)),
                backends
            };
        }
        default:
            return undefined;
    }
}
/** Every Secret a workload's pod template references, by name and key (values are never read here). */
function secretRefsOf(w) {
    const spec = podSpecOf(w);
    const who = `${w.kind} ${w.metadata.name}`;
    const out = [];
    for (const c of [...arr(spec.initContainers), ...arr(spec.containers)]) {
        const cname = record_str(c.name) ?? '?';
        for (const e of arr(c.env)) {
            const ref = rec(rec(e.valueFrom).secretKeyRef);
            if (record_str(ref.name))
                out.push({
                    secret: record_str(ref.name),
                    keys: record_str(ref.key) ? [record_str(ref.key)] : [],
                    use: `${who}: env ${record_str(e.name) ?? '?'} (container ${cname})`
                });
        }
        for (const e of arr(c.envFrom)) {
            const name = record_str(rec(e.secretRef).name);
            if (name)
                out.push({
                    secret: name,
                    keys: [],
                    use: `${who}: all keys as env${record_str(e.prefix) ? ` with prefix ${record_str(e.prefix)}` : ''} (container ${cname})`
                });
        }
    }
    for (const v of arr(spec.volumes)) {
        const s = rec(v.secret);
        if (record_str(s.secretName))
            out.push({
                secret: record_str(s.secretName),
                keys: arr(s.items).map(i => record_str(i.key) ?? '?'),
                use: `${who}: volume ${record_str(v.name) ?? '?'}`
            });
        for (const src of arr(rec(v.projected).sources)) {
            const ps = rec(src.secret);
            if (record_str(ps.name))
                out.push({
                    secret: record_str(ps.name),
                    keys: arr(ps.items).map(i => record_str(i.key) ?? '?'),
                    use: `${who}: projected volume ${record_str(v.name) ?? '?'}`
                });
        }
    }
    for (const p of arr(spec.imagePullSecrets))
        if (record_str(p.name))
            out.push({ secret: record_str(p.name), keys: [], use: `${who}: image pull` });
    return out;
}
/** True when a Service's selector picks a workload's pods. */
function selects(svc, w) {
    const selector = rec(rec(svc.spec).selector);
    const labels = rec(rec(rec(rec(w.spec).template).metadata).labels);
    const entries = Object.entries(selector);
    return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}
function imageLabel(image) {
    try {
        const ref = (0,reference/* parseImageReference */.o_)(image);
        const name = ref.repository.split('/').pop() ?? ref.repository;
        return ref.tag ? `${name}:${ref.tag}` : ref.digest ? `${name}@${ref.digest.slice(0, 19)}` : name;
    }
    catch {
        return image;
    }
}
function normalisedImage(image) {
    try {
        return (0,reference/* formatReference */.FH)((0,reference/* parseImageReference */.o_)(image));
    }
    catch {
        return image;
    }
}
/** Digests the reality check read from the registry, by normalised image reference. */
function realityCheckDigests(reports) {
    const out = new Map();
    for (const { gate } of gateOccurrences(reports)) {
        if (gate.gate !== 'reality-check')
            continue;
        for (const c of gate.checks) {
            const digest = c.data?.digest;
            const reference = c.data?.reference;
            if (c.kind === 'image' && typeof digest === 'string' && typeof reference === 'string')
                out.set(normalisedImage(reference), digest);
        }
    }
    return out;
}
/** Commands that repeat the plan's http checks by hand. */
function healthCommands(specs, namespace) {
    const out = [];
    for (const s of specs) {
        if (!('http' in s))
            continue;
        const h = s.http;
        if (h.url)
            out.push(`curl -fsS ${h.url}`);
        else if (h.service)
            out.push(`kubectl get --raw /api/v1/namespaces/${h.namespace ?? namespace}/services/${h.service}:${h.port ?? 80}/proxy${h.path ?? '/'}`);
    }
    return [...new Set(out)];
}
/** The run the record is about: the given one, else the newest run of the reports that applied a phase, else what validate would pick. */
async function chooseRun(ctx, cluster, record, reports) {
    if (!ctx.settings.runIdGiven) {
        const withPhases = gateOccurrences(reports).filter(o => o.gate.gate === 'phase' && o.gate.verdict !== 'skip');
        const candidate = withPhases[withPhases.length - 1]?.report.runId;
        if (candidate) {
            const phases = await record.readPhases(candidate);
            if (phases.length)
                return {
                    runId: candidate,
                    source: candidate === ctx.settings.runId ? 'this-run' : 'reports',
                    phases: phases.sort((a, b) => a.startedAt.localeCompare(b.startedAt))
                };
        }
    }
    return (0,validate/* findRun */.Lc)(ctx, cluster, record);
}
async function readLive(ctx, cluster, reports) {
    const facts = {
        phases: [],
        workloads: [],
        access: [],
        credentials: [],
        architecture: [],
        stateRecord: 'none',
        notes: [],
        objectsRead: 0
    };
    const record = new state_record/* StateRecord */.l(cluster, ctx.loaded.plan.name, ctx.namespace, ctx.loaded.plan.state?.keepRuns);
    let phaseRecords = [];
    try {
        facts.run = await chooseRun(ctx, cluster, record, reports);
        phaseRecords = facts.run.phases;
        facts.index = await record.readIndex();
        facts.stateRecord = phaseRecords.length || facts.index.history.length ? 'read' : 'none';
        if (facts.run.source === 'state-record')
            facts.notes.push(`run ${facts.run.runId} is the newest run recorded in ${ctx.namespace} (pass --run-id to record another)`);
    }
    catch (err) {
        facts.stateRecord = 'unreadable';
        facts.notes.push(`the state record could not be read: ${(0,errors/* errorMessage */.gJ)(err)}`);
    }
    // Live objects: those the run's phases applied, else those labelled with the plan.
    const live = new Map();
    const failedReads = new Map();
    const read = async (ref) => {
        if (live.has((0,apply/* key */.Eb)(ref)) || failedReads.has((0,apply/* key */.Eb)(ref)))
            return;
        try {
            live.set((0,apply/* key */.Eb)(ref), await cluster.get(ref));
        }
        catch (err) {
            failedReads.set((0,apply/* key */.Eb)(ref), (0,errors/* errorMessage */.gJ)(err));
        }
    };
    await Promise.all(phaseRecords.flatMap(p => p.objects.map(a => read(a.ref))));
    let subjects = [...live.values()].filter((o) => o !== undefined);
    if (phaseRecords.length === 0) {
        facts.notes.push(`no phase record of this run: the objects below are those labelled ${labels/* LABEL_PLAN */.LJ}=${(0,labels/* labelValue */.w)(ctx.loaded.plan.name)} in ${ctx.namespace}`);
        const lists = await Promise.all(FALLBACK_KINDS.map(async (k) => {
            if (!(await cluster.resourceFor(k.apiVersion, k.kind).catch(() => undefined)))
                return [];
            try {
                return (await cluster.list(k.apiVersion, k.kind, {
                    namespace: ctx.namespace,
                    labelSelector: `${labels/* LABEL_PLAN */.LJ}=${(0,labels/* labelValue */.w)(ctx.loaded.plan.name)}`
                })).items;
            }
            catch (err) {
                // One kind this identity may not list costs that kind, not the record.
                facts.notes.push(`cannot list ${k.kind}: ${(0,errors/* errorMessage */.gJ)(err)}`);
                return [];
            }
        }));
        subjects = lists.flat();
    }
    facts.objectsRead = subjects.length;
    facts.phases = phaseRecords.map(p => ({
        name: p.phase,
        status: p.status,
        startedAt: p.startedAt,
        finishedAt: p.finishedAt,
        helm: p.helm,
        objects: p.objects.map(a => {
            const k = (0,apply/* key */.Eb)(a.ref);
            const obj = live.get(k);
            const st = failedReads.has(k)
                ? { status: 'unknown', message: failedReads.get(k) }
                : (0,readiness/* computeStatus */.ee)(obj);
            return {
                ...a.ref,
                created: a.created,
                kept: a.kept,
                status: st.status,
                message: st.message || undefined
            };
        })
    }));
    const workloads = subjects.filter(o => WORKLOAD_KINDS.has(o.kind));
    const accessObjects = subjects.filter(o => ACCESS_KINDS.has(o.kind));
    const gateways = new Map();
    for (const o of accessObjects.filter(a => a.kind === 'HTTPRoute')) {
        for (const p of arr(rec(o.spec).parentRefs)) {
            const ns = record_str(p.namespace) ?? o.metadata.namespace ?? ctx.namespace;
            const name = record_str(p.name);
            if (!name || gateways.has(`${ns}/${name}`))
                continue;
            const gw = await cluster
                .get({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', name, namespace: ns })
                .catch(() => undefined);
            if (gw)
                gateways.set(`${ns}/${name}`, gw);
        }
    }
    facts.workloads = await Promise.all(workloads.map(async (w) => {
        const ns = w.metadata.namespace ?? ctx.namespace;
        const selector = selectorString(rec(w.spec).selector);
        const pods = selector
            ? (await cluster
                .list('v1', 'Pod', { namespace: ns, labelSelector: selector })
                .catch(() => ({ items: [] }))).items
            : [];
        const st = (0,readiness/* computeStatus */.ee)(w);
        const revision = w.metadata.annotations?.['deployment.kubernetes.io/revision'] ??
            record_str(rec(w.status).updateRevision);
        const out = {
            kind: w.kind,
            name: w.metadata.name,
            namespace: ns,
            replicas: replicasOf(w),
            status: st.status,
            images: workloadImages(w, pods),
            commands: workloadCommands(w.kind, w.metadata.name, ns)
        };
        if (st.status !== 'Current')
            out.message = st.message;
        if (revision)
            out.revision = revision;
        return out;
    }));
    facts.access = accessObjects
        .map(o => accessPoint(o, gateways))
        .filter((a) => a !== undefined);
    // Access point → Service → workload.
    for (const a of facts.access) {
        if (a.kind === 'Service') {
            const svc = accessObjects.find(o => o.kind === 'Service' && o.metadata.name === a.name);
            for (const w of workloads)
                if (svc && selects(svc, w))
                    facts.architecture.push({ from: `Service ${a.name}`, to: `${w.kind} ${w.metadata.name}` });
        }
        else
            for (const b of a.backends)
                facts.architecture.push({ from: `${a.kind} ${a.name}`, to: `Service ${b}` });
    }
    // Credentials: Secrets the workloads reference and Secrets the run applied, by name and key.
    const creds = new Map();
    const add = (secret, namespace, keys, use) => {
        const k = `${namespace}/${secret}`;
        const c = creds.get(k) ?? { secret, namespace, keys: [], usedBy: [], needKeys: false };
        for (const x of keys)
            if (!c.keys.includes(x))
                c.keys.push(x);
        if (keys.length === 0)
            c.needKeys = true;
        if (!c.usedBy.includes(use))
            c.usedBy.push(use);
        creds.set(k, c);
    };
    for (const w of workloads)
        for (const r of secretRefsOf(w))
            add(r.secret, w.metadata.namespace ?? ctx.namespace, r.keys, r.use);
    for (const p of phaseRecords)
        for (const a of p.objects)
            if (a.ref.kind === 'Secret')
                add(a.ref.name, a.ref.namespace ?? ctx.namespace, [], `applied in phase ${p.phase}`);
    for (const c of creds.values()) {
        if (!c.needKeys)
            continue;
        // Key names only: the values never leave this function.
        const s = live.get((0,apply/* key */.Eb)({ apiVersion: 'v1', kind: 'Secret', name: c.secret, namespace: c.namespace })) ??
            (await cluster
                .get({ apiVersion: 'v1', kind: 'Secret', name: c.secret, namespace: c.namespace })
                .catch(() => undefined));
        for (const k of [...Object.keys(rec(s?.data)), ...Object.keys(rec(s?.stringData))])
            if (!c.keys.includes(k))
                c.keys.push(k);
    }
    facts.credentials = [...creds.values()].map(({ needKeys: _n, ...c }) => ({
        ...c,
        keys: c.keys.sort()
    }));
    if (failedReads.size)
        facts.notes.push(`${failedReads.size} object${failedReads.size === 1 ? '' : 's'} could not be read: ${[...failedReads.values()][0]}`);
    return facts;
}
/** Fills in digests the pods did not report: from the reality check's registry answers, else by asking the registry now. */
async function completeDigests(ctx, workloads, reports, notes) {
    const known = realityCheckDigests(reports);
    const missing = [];
    for (const img of workloads.flatMap(w => w.images)) {
        if (img.digest)
            continue;
        const d = known.get(normalisedImage(img.image));
        if (d)
            Object.assign(img, { digest: d, digestSource: 'reality-check' });
        else
            missing.push(img);
    }
    if (missing.length === 0)
        return;
    let registry;
    try {
        registry = ctx.registry();
    }
    catch {
        return;
    }
    // One request per image, all at once; containers sharing an image share the answer.
    const asked = new Map();
    for (const img of missing) {
        const ref = normalisedImage(img.image);
        if (!asked.has(ref))
            asked.set(ref, Promise.resolve()
                .then(() => registry.inspect({
                ref: (0,reference/* parseImageReference */.o_)(img.image),
                signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(REGISTRY_TIMEOUT_MS)])
            }))
                .then(i => (i.status === 'found' ? i.digest : undefined))
                .catch(err => {
                notes.push(`digest of ${img.image} unknown: ${(0,errors/* errorMessage */.gJ)(err)}`);
                return undefined;
            }));
    }
    await Promise.all(missing.map(async (img) => {
        const d = await asked.get(normalisedImage(img.image));
        if (d)
            Object.assign(img, { digest: d, digestSource: 'registry' });
    }));
}
async function runRecord(ctx) {
    const started = ctx.clock.now();
    const plan = ctx.loaded.plan;
    const checks = [];
    const notes = [];
    // 1. The reports of the gates before this one.
    let fromDir = { reports: [], skipped: [] };
    let dirProblem;
    if (ctx.settings.reportsDir) {
        try {
            fromDir = await readReportsDir(ctx.settings.reportsDir, plan.name);
        }
        catch (err) {
            dirProblem = `cannot read ${ctx.settings.reportsDir}: ${(0,errors/* errorMessage */.gJ)(err)}`;
        }
    }
    let reports = mergeReports([
        ...fromDir.reports.map(r => r.report),
        ...ctx.earlier.filter(r => r.plan === plan.name)
    ]);
    // With a run id given (CI: the workflow run), other runs' reports in the directory belong to other deployments.
    if (ctx.settings.runIdGiven && reports.some(r => r.runId === ctx.settings.runId)) {
        const others = reports.filter(r => r.runId !== ctx.settings.runId).length;
        reports = reports.filter(r => r.runId === ctx.settings.runId);
        if (others)
            notes.push(`${others} report${others === 1 ? '' : 's'} of other runs left out (run ${ctx.settings.runId} was given)`);
    }
    const gateCount = gateOccurrences(reports).length;
    const sources = [
        ...fromDir.reports.map(r => r.file),
        ...(ctx.earlier.length ? ['this call'] : [])
    ];
    checks.push((0,result/* checkResult */.iJ)('record', 'reports', {
        verdict: dirProblem || gateCount === 0 ? 'warn' : 'pass',
        message: dirProblem
            ? `${dirProblem}; the record holds what the cluster says`
            : gateCount === 0
                ? 'no report of an earlier gate: the record holds what the cluster says, without a retrospective'
                : `read ${gateCount} gate result${gateCount === 1 ? '' : 's'} from ${reports.length} report${reports.length === 1 ? '' : 's'}${ctx.settings.reportsDir ? ` (${ctx.settings.reportsDir})` : ''}`,
        evidence: fromDir.skipped.length
            ? fromDir.skipped.map(s => `skipped ${s.file}: ${s.why}`).join('\n')
            : undefined,
        adjustment: gateCount === 0
            ? "pass --reports DIR (the action's `reports` input: the directory the earlier jobs' report artifacts were downloaded to)"
            : undefined
    }));
    // 2. The live cluster.
    let facts = {
        phases: [],
        workloads: [],
        access: [],
        credentials: [],
        architecture: [],
        stateRecord: 'none',
        notes: [],
        objectsRead: 0
    };
    let cluster;
    let live = 'read';
    try {
        cluster = await ctx.cluster();
        ctx.progress({ gate: 'record', activity: 'reading the state record and the live objects' });
        facts = await readLive(ctx, cluster, reports);
        await completeDigests(ctx, facts.workloads, reports, facts.notes);
        checks.push((0,result/* checkResult */.iJ)('record', 'cluster', {
            // The record is still written from what could be read; the verdict says it is incomplete (exit 3).
            verdict: facts.stateRecord === 'unreadable' ? 'error' : 'pass',
            message: facts.stateRecord === 'unreadable'
                ? `read ${facts.objectsRead} live objects, but not the state record${stateRecordProblem(facts.notes)}`
                : `read ${facts.phases.length} phase record${facts.phases.length === 1 ? '' : 's'} of run ${facts.run?.runId ?? ctx.runId} and ${facts.objectsRead} live object${facts.objectsRead === 1 ? '' : 's'}`,
            evidence: facts.notes.length ? facts.notes.join('\n') : undefined
        }));
    }
    catch (err) {
        live = 'unreadable';
        checks.push((0,result/* checkResult */.iJ)('record', 'cluster', {
            // Never a pass when the cluster could not be asked (reliability suite): the record is
            // still written from the reports, and exit 3 says it lacks the cluster's side.
            verdict: 'error',
            message: `the cluster could not be read: ${(0,errors/* errorMessage */.gJ)(err)}; the record holds what the reports say`,
            adjustment: 'check the kubeconfig and that the apiserver is reachable from the runner, then re-run the record gate'
        }));
    }
    // 3. The record.
    const runId = facts.run?.runId ?? ctx.runId;
    const runs = [...new Set([...reports.map(r => r.runId), runId])];
    const applied = facts.phases
        .filter(p => p.status === 'applied' && p.finishedAt)
        .map(p => p.finishedAt);
    const images = [
        ...new Set(facts.workloads.flatMap(w => w.images.filter(i => !i.init).map(i => i.image)))
    ];
    const last = reports[reports.length - 1];
    const record = {
        schemaVersion: RECORD_SCHEMA_VERSION,
        plan: plan.name,
        planFile: ctx.loaded.displayFile,
        owners: plan.owners,
        ticket: plan.ticket,
        runId,
        runs,
        version: {
            label: [...new Set(images.map(imageLabel))].join(', '),
            images,
            commit: ctx.github?.headSha ?? ctx.github?.sha,
            tool: version/* VERSION */.x
        },
        deployedAt: applied.sort().at(-1),
        recordedAt: new Date(ctx.clock.now()).toISOString(),
        target: {
            context: cluster?.context ?? last?.target.context ?? ctx.settings.context ?? plan.target.context,
            namespace: ctx.namespace,
            server: cluster?.server ?? last?.target.server
        },
        outcome: standingVerdict(reports),
        state: chooseState(deriveState(reports), facts.index, runs),
        phases: facts.phases,
        architecture: facts.architecture,
        workloads: facts.workloads,
        access: facts.access,
        healthChecks: healthCommands([...(plan.phases ?? []).flatMap(p => p.validate ?? []), ...(plan.validation?.checks ?? [])], ctx.namespace),
        credentials: facts.credentials,
        knownIssues: knownIssues(reports),
        incident: buildIncident(reports),
        retrospective: retrospect(reports),
        sources: {
            reports: sources,
            stateRecord: facts.stateRecord,
            live,
            notes: [...facts.notes, ...notes]
        }
    };
    const markdown = renderRecord(record);
    // 4. record.md / record.json next to --report.
    if (ctx.settings.reportPath) {
        const dir = (0,external_node_path_.dirname)((0,external_node_path_.resolve)(ctx.settings.workspace, ctx.settings.reportPath));
        try {
            await (0,promises_.mkdir)(dir, { recursive: true });
            await (0,promises_.writeFile)((0,external_node_path_.join)(dir, RECORD_FILES.markdown), markdown);
            await (0,promises_.writeFile)((0,external_node_path_.join)(dir, RECORD_FILES.json), (0,secrets/* redact */.E$)(`${JSON.stringify(record, null, 2)}\n`));
            checks.push((0,result/* checkResult */.iJ)('record', 'files', {
                verdict: 'pass',
                message: `wrote record.md and record.json to ${dir}`
            }));
        }
        catch (err) {
            checks.push((0,result/* checkResult */.iJ)('record', 'files', {
                verdict: 'error',
                message: `could not write the record to ${dir}: ${(0,errors/* errorMessage */.gJ)(err)}`
            }));
        }
    }
    notes.push(`state reached: ${record.state.reached}`);
    return (0,model/* gateResult */.xp)('record', started, checks, {
        now: ctx.clock.now(),
        budgetMs: (0,budgets/* budgetMs */.OU)(plan, 'record'),
        notes,
        // The summary draws the whole run from this (src/report/summary.ts): latest verdict per gate and unit.
        details: { record, recordMarkdown: markdown, flow: runFlow(reports) }
    });
}
const recordGate = {
    name: 'record',
    async run(ctx) {
        return [await runRecord(ctx)];
    }
};
/** Every gate (and phase, stage, level) of the reports in the order it first ran, at its latest verdict. */
function runFlow(reports) {
    const latest = new Map();
    for (const { gate } of gateOccurrences(reports))
        latest.set(`${gate.gate}/${gate.name ?? ''}`, {
            gate: gate.gate,
            ...(gate.name ? { name: gate.name } : {}),
            verdict: gate.verdict
        });
    return [...latest.values()];
}
/** Why the state record could not be read, from the notes, for the check's message (the fault named). */
function stateRecordProblem(notes) {
    const note = notes.find(n => n.startsWith('the state record could not be read: '));
    return note ? `: ${note.slice('the state record could not be read: '.length)}` : '';
}


/***/ }),

/***/ 2072:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Lc: () => (/* binding */ findRun),
/* harmony export */   wL: () => (/* binding */ validateGate)
/* harmony export */ });
/* unused harmony exports summariseSteps, helmDryRunArgs */
/* harmony import */ var _checks_result_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7076);
/* harmony import */ var _checks_command_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9812);
/* harmony import */ var _checks_validation_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1646);
/* harmony import */ var _checks_builtin_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3217);
/* harmony import */ var _core_duration_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8571);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4296);
/* harmony import */ var _kube_apply_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(9501);
/* harmony import */ var _kube_labels_js__WEBPACK_IMPORTED_MODULE_12__ = __webpack_require__(8550);
/* harmony import */ var _kube_state_record_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(8076);
/* harmony import */ var _kube_types_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(6384);
/* harmony import */ var _kube_undo_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(2511);
/* harmony import */ var _plan_budgets_js__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(6817);
/* harmony import */ var _report_model_js__WEBPACK_IMPORTED_MODULE_11__ = __webpack_require__(6867);
/**
 * Gate V, validation: the plan's validation suite (`validation.checks`, any
 * kind, concurrently), then the rollback test: the real undo of every phase
 * the run applied, sent to the server as a dry run (deletions, restores of
 * what existed before, PVCs and keep-annotated objects kept) and
 * `helm rollback --dry-run` for Helm releases. It proves the rollback path is
 * permitted and possible without touching anything, and checks that it did
 * not. On a pass the deployment becomes `active` in the state record.
 */













const byStart = (a, b) => a.startedAt.localeCompare(b.startedAt) || a.phase.localeCompare(b.phase);
/**
 * The run whose phases validate and record work on: the given run id; else
 * this call's own (`--gate all` on the CLI); else the newest run whose Secret
 * in the target namespace holds phase records (a CLI call without `--run-id`
 * after a phase call of its own id). With `applied` (validate), the newest
 * run that left a phase applied wins over a newer one that was rolled back.
 */
async function findRun(ctx, cluster, record, opts = {}) {
    const own = (await record.readPhases(ctx.settings.runId)).sort(byStart);
    if (ctx.settings.runIdGiven)
        return { runId: ctx.settings.runId, source: 'given', phases: own };
    if (own.length > 0)
        return { runId: ctx.settings.runId, source: 'this-run', phases: own };
    const { items } = await cluster.list('v1', 'Secret', {
        namespace: ctx.namespace,
        labelSelector: `${_kube_labels_js__WEBPACK_IMPORTED_MODULE_12__/* .LABEL_MANAGED_BY */ .dq}=phase-gate,${_kube_labels_js__WEBPACK_IMPORTED_MODULE_12__/* .LABEL_PLAN */ .LJ}=${(0,_kube_labels_js__WEBPACK_IMPORTED_MODULE_12__/* .labelValue */ .w)(ctx.loaded.plan.name)}`
    });
    let best;
    let bestApplied;
    for (const s of items) {
        if (!s.metadata.name.startsWith(`${record.indexName}-`))
            continue;
        const phases = Object.entries((s.data ?? {}))
            .filter(([k]) => k.startsWith('phase.'))
            .flatMap(([, v]) => {
            try {
                return [JSON.parse(Buffer.from(v, 'base64').toString('utf8'))];
            }
            catch {
                return [];
            }
        })
            .sort(byStart);
        if (phases.length === 0)
            continue;
        const at = phases[phases.length - 1].startedAt;
        const run = { runId: phases[0].runId, at, phases };
        if (!best || at > best.at)
            best = run;
        if (phases.some(p => p.status === 'applied') && (!bestApplied || at > bestApplied.at))
            bestApplied = run;
    }
    const pick = (opts.applied && bestApplied) || best;
    if (pick)
        return { runId: pick.runId, source: 'state-record', phases: pick.phases };
    return { runId: ctx.settings.runId, source: 'none', phases: [] };
}
/** An object's identity and spec generation: what a real delete or update would change. */
function fingerprint(o) {
    if (!o)
        return 'absent';
    return `${o.metadata.uid ?? ''}/${o.metadata.generation ?? ''}/${o.metadata.deletionTimestamp ?? ''}/${o.metadata.resourceVersion ?? ''}`;
}
// resourceVersion moves with every status write of a controller; only a change
// of identity, generation or deletion says the dry run touched the object.
function sameObject(before, after) {
    const [a, b] = [before.split('/'), after.split('/')];
    return a.slice(0, 3).join('/') === b.slice(0, 3).join('/');
}
/** Sorts undo steps into the test's findings. */
function summariseSteps(phase, steps, missing) {
    const f = {
        phase,
        wouldDelete: [],
        wouldRestore: [],
        kept: [],
        missing: [],
        refused: [],
        changed: []
    };
    for (const s of steps) {
        const name = (0,_kube_types_js__WEBPACK_IMPORTED_MODULE_8__/* .describeRef */ .Ro)(s.ref);
        if (!s.ok)
            f.refused.push({ object: name, message: s.message });
        else if (s.action === 'keep')
            f.kept.push(name);
        else if (s.action === 'delete')
            (missing.has((0,_kube_apply_js__WEBPACK_IMPORTED_MODULE_6__/* .key */ .Eb)(s.ref)) ? f.missing : f.wouldDelete).push(name);
        else
            f.wouldRestore.push(name);
    }
    return f;
}
/** The `helm` argv that undoes a release as a dry run: back to the revision before, or an uninstall when it was new. */
function helmDryRunArgs(h, conn) {
    const args = h.revisionBefore !== undefined && h.revisionBefore > 0
        ? [
            'helm',
            'rollback',
            h.release,
            String(h.revisionBefore),
            '--dry-run',
            '--namespace',
            h.namespace
        ]
        : ['helm', 'uninstall', h.release, '--dry-run', '--namespace', h.namespace];
    if (conn.kubeconfig)
        args.push('--kubeconfig', conn.kubeconfig);
    if (conn.context)
        args.push('--kube-context', conn.context);
    return args;
}
async function testPhaseObjects(ctx, cluster, rec, timeoutMs) {
    const location = phaseLocation(ctx, rec.phase);
    const refs = rec.objects.map(a => a.ref);
    const before = new Map();
    await Promise.all(refs.map(async (r) => before.set((0,_kube_apply_js__WEBPACK_IMPORTED_MODULE_6__/* .key */ .Eb)(r), fingerprint(await cluster.get(r).catch(() => undefined)))));
    const missing = new Set(rec.objects.filter(a => a.created && before.get((0,_kube_apply_js__WEBPACK_IMPORTED_MODULE_6__/* .key */ .Eb)(a.ref)) === 'absent').map(a => (0,_kube_apply_js__WEBPACK_IMPORTED_MODULE_6__/* .key */ .Eb)(a.ref)));
    const outcome = await (0,_kube_undo_js__WEBPACK_IMPORTED_MODULE_9__/* .undoApplied */ ._)(cluster, rec.objects, {
        dryRun: true,
        timeoutMs,
        clock: ctx.clock,
        signal: ctx.signal
    });
    const findings = summariseSteps(rec.phase, outcome.steps, missing);
    await Promise.all(refs.map(async (r) => {
        const after = fingerprint(await cluster.get(r).catch(() => undefined));
        if (!sameObject(before.get((0,_kube_apply_js__WEBPACK_IMPORTED_MODULE_6__/* .key */ .Eb)(r)) ?? 'absent', after))
            findings.changed.push((0,_kube_types_js__WEBPACK_IMPORTED_MODULE_8__/* .describeRef */ .Ro)(r));
    }));
    const counts = `would delete ${findings.wouldDelete.length}, restore ${findings.wouldRestore.length}, keep ${findings.kept.length}`;
    const keptText = findings.kept.length ? ` (kept: ${findings.kept.join(', ')})` : '';
    const evidence = [
        ...outcome.steps.map(s => `${s.ok ? 'ok  ' : 'FAIL'} ${s.message}${missing.has((0,_kube_apply_js__WEBPACK_IMPORTED_MODULE_6__/* .key */ .Eb)(s.ref)) ? ' (already gone)' : ''}`),
        ...findings.changed.map(c => `CHANGED ${c}: the dry run was not side-effect free`),
        findings.changed.length
            ? ''
            : `unchanged: ${refs.length} object${refs.length === 1 ? '' : 's'} kept their uid and generation`
    ]
        .filter(Boolean)
        .join('\n');
    const data = { ...findings, durationMs: outcome.durationMs };
    if (findings.refused.length)
        return (0,_checks_result_js__WEBPACK_IMPORTED_MODULE_0__/* .checkResult */ .iJ)('rollbackTest', rec.phase, {
            verdict: 'fail',
            message: `the undo of phase ${rec.phase} would fail: ${findings.refused.map(r => r.message).join('; ')}`,
            evidence,
            adjustment: 'give the deploying identity the rights the undo needs (delete on what the phase created, update on what it changed), or remove the webhook or finalizer that refuses it; until then a failed deployment cannot be rolled back',
            data,
            location
        });
    if (findings.changed.length)
        return (0,_checks_result_js__WEBPACK_IMPORTED_MODULE_0__/* .checkResult */ .iJ)('rollbackTest', rec.phase, {
            verdict: 'fail',
            message: `the dry run changed ${findings.changed.join(', ')}: the server or an admission webhook does not honour dryRun`,
            evidence,
            adjustment: 'find the webhook with sideEffects other than None/NoneOnDryRun (kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations) and fix it',
            data,
            location
        });
    if (findings.missing.length)
        return (0,_checks_result_js__WEBPACK_IMPORTED_MODULE_0__/* .checkResult */ .iJ)('rollbackTest', rec.phase, {
            verdict: 'warn',
            message: `the undo of phase ${rec.phase} is possible (${counts}${keptText}), but ${findings.missing.join(', ')} no longer exist${findings.missing.length === 1 ? 's' : ''}`,
            evidence,
            adjustment: 'something outside phase-gate removed them; find out what before relying on this deployment',
            data,
            location
        });
    return (0,_checks_result_js__WEBPACK_IMPORTED_MODULE_0__/* .checkResult */ .iJ)('rollbackTest', rec.phase, {
        verdict: 'pass',
        message: `the undo of phase ${rec.phase} is possible and permitted: ${counts}${keptText}; nothing changed`,
        evidence,
        data,
        location
    });
}
async function testPhaseHelm(ctx, cluster, rec, timeoutMs) {
    const h = rec.helm;
    const argv = helmDryRunArgs(h, {
        kubeconfig: ctx.settings.kubeconfig.kind === 'path' ? ctx.settings.kubeconfig.path : undefined,
        context: cluster.context || undefined
    });
    const r = await ctx.exec.run(argv, { cwd: ctx.loaded.dir, timeoutMs, signal: ctx.signal });
    const what = h.revisionBefore
        ? `roll release ${h.release} back to revision ${h.revisionBefore}`
        : `uninstall release ${h.release} (it was new in this run)`;
    const ok = r.exitCode === 0 && !r.timedOut && !r.spawnError;
    return (0,_checks_result_js__WEBPACK_IMPORTED_MODULE_0__/* .checkResult */ .iJ)('rollbackTest', `${rec.phase}: helm ${h.release}`, {
        verdict: ok ? 'pass' : 'fail',
        message: ok
            ? `helm would ${what}: ${argv.slice(0, 3).join(' ')} --dry-run succeeded in ${(0,_core_duration_js__WEBPACK_IMPORTED_MODULE_4__/* .formatDuration */ .a3)(r.durationMs)}`
            : `helm cannot ${what}: ${r.spawnError ?? (r.timedOut ? 'timed out' : `exit ${r.exitCode}`)}`,
        evidence: [`$ ${argv.join(' ')}`, (0,_checks_command_js__WEBPACK_IMPORTED_MODULE_1__/* .tail */ .R)(r.stderr || r.stdout, 15)].filter(Boolean).join('\n'),
        adjustment: ok
            ? undefined
            : r.spawnError
                ? 'install helm on the runner'
                : 'fix what helm says (a release stuck in pending-upgrade needs `helm rollback` or `helm uninstall` first)',
        data: {
            release: h.release,
            namespace: h.namespace,
            revisionBefore: h.revisionBefore,
            revisionAfter: h.revisionAfter,
            exitCode: r.exitCode,
            command: argv.join(' ')
        },
        location: phaseLocation(ctx, rec.phase)
    });
}
function phaseLocation(ctx, phase) {
    const i = (ctx.loaded.plan.phases ?? []).findIndex(p => p.name === phase);
    return ctx.loaded.locate(i >= 0 ? ['phases', i] : ['validation', 'rollbackTest']);
}
/** Runs the rollback test over a run's phases, newest phase first (the order a real undo takes). */
async function rollbackTest(ctx, cluster, run, deadline, notes) {
    const location = ctx.loaded.locate(['validation', 'rollbackTest']);
    if (run.phases.length === 0)
        return [
            (0,_checks_result_js__WEBPACK_IMPORTED_MODULE_0__/* .checkResult */ .iJ)('rollbackTest', ctx.loaded.plan.name, {
                verdict: 'skip',
                message: `nothing to test: no phase of ${run.source === 'given' ? `run ${run.runId}` : 'any run'} is recorded in ${ctx.namespace}`,
                adjustment: 'run the phases first, or pass the run id that applied them (--run-id)',
                location
            })
        ];
    const results = [];
    for (const rec of [...run.phases].reverse()) {
        if (ctx.signal.aborted)
            break;
        const left = Math.max(5000, deadline - ctx.clock.now());
        if (rec.status === 'rolled-back') {
            notes.push(`phase ${rec.phase} was rolled back already; its undo is not tested`);
            continue;
        }
        if (rec.status !== 'applied') {
            results.push((0,_checks_result_js__WEBPACK_IMPORTED_MODULE_0__/* .checkResult */ .iJ)('rollbackTest', rec.phase, {
                verdict: 'warn',
                message: `phase ${rec.phase} is ${rec.status}, not applied: its undo is not tested`,
                adjustment: rec.status === 'failed'
                    ? 'its rollback did not finish: run the rollback again (phase-gate check --gate phase) or clean up by hand'
                    : 'a job was interrupted: the post step finishes its rollback from the state record',
                location: phaseLocation(ctx, rec.phase)
            }));
            continue;
        }
        ctx.progress({
            gate: 'validate',
            activity: `rollback test: phase ${rec.phase} (${rec.objects.length} objects)`
        });
        if (rec.objects.length > 0 || !rec.helm)
            results.push(await testPhaseObjects(ctx, cluster, rec, left));
        if (rec.helm)
            results.push(await testPhaseHelm(ctx, cluster, rec, left));
    }
    return results;
}
/** Objects the run's phases left applied, for `ready` checks that name them. */
function appliedObjects(phases) {
    return phases
        .flatMap(p => p.objects)
        .map((a) => a.after)
        .filter((o) => o !== undefined);
}
async function runValidate(ctx) {
    const started = ctx.clock.now();
    const budget = (0,_plan_budgets_js__WEBPACK_IMPORTED_MODULE_10__/* .budgetMs */ .OU)(ctx.loaded.plan, 'validate');
    const deadline = started + budget;
    const spec = ctx.loaded.plan.validation ?? {};
    const notes = [];
    const checks = [];
    const cluster = await ctx.cluster();
    const record = new _kube_state_record_js__WEBPACK_IMPORTED_MODULE_7__/* .StateRecord */ .l(cluster, ctx.loaded.plan.name, ctx.namespace, ctx.loaded.plan.state?.keepRuns);
    const run = await findRun(ctx, cluster, record, { applied: true });
    if (run.source === 'state-record')
        notes.push(`run ${run.runId}: the newest run recorded in ${ctx.namespace} (pass --run-id to pick another)`);
    const specs = spec.checks ?? [];
    if (specs.length) {
        ctx.progress({ gate: 'validate', activity: `${specs.length} validation checks` });
        checks.push(...(await (0,_checks_validation_js__WEBPACK_IMPORTED_MODULE_2__/* .runValidations */ .s8)(specs, { ...ctx, runId: run.runId, applied: appliedObjects(run.phases), deadline }, ['validation', 'checks'])));
    }
    if (spec.rollbackTest !== false)
        checks.push(...(await rollbackTest(ctx, cluster, run, deadline, notes)));
    else
        notes.push('rollback test disabled (validation.rollbackTest: false)');
    const result = (0,_report_model_js__WEBPACK_IMPORTED_MODULE_11__/* .gateResult */ .xp)('validate', started, checks, { now: ctx.clock.now(), budgetMs: budget });
    if (ctx.signal.aborted)
        result.verdict = 'cancelled';
    const validated = (0,_report_model_js__WEBPACK_IMPORTED_MODULE_11__/* .isPassing */ .WG)(result.verdict) && result.verdict !== 'skip';
    if (validated && !ctx.settings.dryRun) {
        try {
            await record.transition('active', run.runId, `validated by ${checks.length} check${checks.length === 1 ? '' : 's'}`);
            notes.push(`deployment state: active (validated, run ${run.runId})`);
        }
        catch (err) {
            result.checks.push((0,_checks_result_js__WEBPACK_IMPORTED_MODULE_0__/* .checkResult */ .iJ)('state', 'active', {
                verdict: 'warn',
                message: `validated, but the state record could not be updated: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(err)}`,
                adjustment: `phase-gate needs get/update on ConfigMap ${record.indexName} in ${ctx.namespace}`
            }));
            result.verdict = 'warn';
        }
    }
    else if (!validated)
        notes.push('deployment state not changed: validation did not pass');
    result.durationMs = Math.max(0, ctx.clock.now() - started);
    if (notes.length)
        result.notes = notes;
    result.details = {
        runId: run.runId,
        runSource: run.source,
        phases: run.phases.map(p => ({ phase: p.phase, status: p.status, objects: p.objects.length }))
    };
    return result;
}
const validateGate = {
    name: 'validate',
    async run(ctx) {
        return [await runValidate(ctx)];
    }
};


/***/ }),

/***/ 3660:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   O: () => (/* binding */ GitHubApiError),
/* harmony export */   V: () => (/* binding */ isApiStatus)
/* harmony export */ });
/** The typed error every GitHub REST call throws: it carries the HTTP status so callers can decide. */
class GitHubApiError extends Error {
    status;
    method;
    path;
    apiMessage;
    documentationUrl;
    attempts;
    constructor(
    /** HTTP status; 0 when the server could not be reached. */
    status, method, 
    /** Request path without the query string (never holds a secret). */
    path, 
    /** GitHub's own words (`message` of the error body), already redacted. */
    apiMessage, documentationUrl, 
    /** Attempts made before giving up (1 when not retried). */
    attempts = 1) {
        super(status === 0
            ? `GitHub API ${method} ${path}: ${apiMessage}`
            : `GitHub API ${method} ${path} → ${status}${apiMessage ? ` ${apiMessage}` : ''}`);
        this.status = status;
        this.method = method;
        this.path = path;
        this.apiMessage = apiMessage;
        this.documentationUrl = documentationUrl;
        this.attempts = attempts;
        this.name = 'GitHubApiError';
    }
}
/** True when the error is a GitHubApiError with one of the statuses. */
function isApiStatus(err, ...statuses) {
    return err instanceof GitHubApiError && statuses.includes(err.status);
}


/***/ }),

/***/ 3122:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   b7: () => (/* binding */ runningState),
/* harmony export */   qF: () => (/* binding */ recordPreDeployment)
/* harmony export */ });
/* unused harmony exports isPreDeployment, preDeploymentBlocker */
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4296);
/**
 * The two states a release passes before it changes anything: `images-ready`
 * (the reality check found every image pullable) and `packaged` (a phase's
 * manifests passed the server's dry run, or its chart rendered). They describe
 * the release on its way, not the one running, so they must never hide a
 * release still in flight: a reality check on a pull request that is never
 * merged would otherwise end the soak of the release it runs beside. The soak
 * gate looks through them to the release that runs (`runningState`).
 */

/** States in which a release is under way or watched; a pre-deployment state never replaces them from outside. */
const IN_FLIGHT = new Set([
    'deploying',
    'active',
    'degraded',
    'rolling-back'
]);
const PRE = new Set(['images-ready', 'packaged']);
/** True for `images-ready` and `packaged`. */
function isPreDeployment(state) {
    return state !== undefined && PRE.has(state);
}
/**
 * Why `state` may not be recorded for `runId` now (undefined: it may).
 * `images-ready` (a reality check, which may never lead to a deployment) waits
 * for any release in flight; `packaged` (a phase about to apply) only refuses
 * to step back a run that is already past it. Neither steps back from
 * `packaged` to `images-ready` in one run.
 */
function preDeploymentBlocker(index, state, runId) {
    const current = index.state;
    if (!current)
        return undefined;
    const run = index.history.at(-1)?.runId;
    const sameRun = run === runId;
    if (state === 'images-ready' && current === 'packaged' && sameRun)
        return { message: `run ${runId} is packaged already`, ownProgress: true };
    if (!IN_FLIGHT.has(current))
        return undefined;
    if (state === 'packaged' && !sameRun)
        return undefined;
    return {
        message: `${sameRun ? `run ${runId}` : `release ${run ?? '?'}`} is ${current}; ${state} is recorded only before a release deploys`,
        ownProgress: sameRun
    };
}
/**
 * The state of the release that runs: the current state, or when that is a
 * pre-deployment state of the next release, the last state before it.
 */
function runningState(index) {
    if (!isPreDeployment(index.state))
        return index.state;
    return [...index.history].reverse().find(t => !isPreDeployment(t.state))?.state;
}
/** Records a pre-deployment state unless a release in flight forbids it; never throws. */
async function recordPreDeployment(record, state, runId, reason, at) {
    try {
        const before = await record.readIndex();
        const first = preDeploymentBlocker(before, state, runId);
        if (first)
            return { recorded: false, blocker: first };
        let blocker;
        await record.updateIndex(index => {
            // Checked again inside the read-modify-write: another job may have moved it meanwhile.
            blocker = preDeploymentBlocker(index, state, runId);
            if (blocker)
                return;
            if (index.state !== state)
                index.stateSince = at;
            index.state = state;
            index.history.push({ state, at, runId, reason });
        });
        return blocker ? { recorded: false, blocker } : { recorded: true };
    }
    catch (err) {
        return {
            recorded: false,
            blocker: {
                message: `could not write the state record: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err)}`,
                ownProgress: false
            }
        };
    }
}


/***/ }),

/***/ 6782:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F9: () => (/* binding */ evaluateCondition),
/* harmony export */   KB: () => (/* binding */ usesBaseline),
/* harmony export */   Nk: () => (/* binding */ readMetric),
/* harmony export */   P$: () => (/* binding */ resourceMetric),
/* harmony export */   Po: () => (/* binding */ describeJudgeError),
/* harmony export */   YB: () => (/* binding */ describeReading),
/* harmony export */   ZV: () => (/* binding */ formatNumber),
/* harmony export */   a4: () => (/* binding */ hasValue),
/* harmony export */   f8: () => (/* binding */ compileTriggers),
/* harmony export */   l5: () => (/* binding */ expectationCel),
/* harmony export */   qj: () => (/* binding */ jsonNumber),
/* harmony export */   yp: () => (/* binding */ TriggerJudge)
/* harmony export */ });
/* unused harmony exports readingOf, DEFAULT_NO_DATA_MS */
/* harmony import */ var _cel_criteria_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2875);
/* harmony import */ var _cel_shorthand_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7239);
/* harmony import */ var _core_duration_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8571);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4296);
/* harmony import */ var _prometheus_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9881);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(7032);
/**
 * Judging metric values: a query's answer reduced to one number (or the
 * reason there is none), expectations and rollback triggers compiled to CEL
 * over `value` and `baseline`, and the rollout's trigger state: "sustained"
 * N-of-M windows and the dead-man's switch (no data for a while).
 *
 * No data is a decision, never a pass: an empty answer, NaN (0/0, nothing to
 * divide), an unreachable server and a baseline that cannot be read all leave
 * a metric without a value, which only the dead-man's switch acts on.
 */






/** Reduces an answer to one reading. */
function readingOf(samples) {
    if (samples.length === 0)
        return { kind: 'empty' };
    if (samples.length > 1)
        return { kind: 'ambiguous', series: samples.length, labels: samples.map(s => s.labels) };
    const [s] = samples;
    if (Number.isNaN(s.value))
        return { kind: 'nan' };
    return { kind: 'value', value: s.value, labels: s.labels };
}
/** Runs a query and reduces it to a reading; never throws except on abort. */
async function readMetric(metrics, query, opts = {}) {
    try {
        return readingOf(await metrics.query(query, opts));
    }
    catch (err) {
        if (opts.signal?.aborted)
            throw err;
        if (err instanceof _prometheus_js__WEBPACK_IMPORTED_MODULE_4__/* .PromQLError */ .eu)
            return { kind: 'rejected', message: err.message };
        if (err instanceof _types_js__WEBPACK_IMPORTED_MODULE_5__/* .MetricsUnavailableError */ .G)
            return { kind: 'unavailable', message: err.message };
        return { kind: 'unavailable', message: (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .errorMessage */ .gJ)(err) };
    }
}
/** True when the reading holds a number to judge. */
function hasValue(r) {
    return r?.kind === 'value';
}
/** A number as reports show it: 4 significant digits, `+Inf`, `-Inf`, `NaN`. */
function formatNumber(n) {
    if (Number.isNaN(n))
        return 'NaN';
    if (n === Number.POSITIVE_INFINITY)
        return '+Inf';
    if (n === Number.NEGATIVE_INFINITY)
        return '-Inf';
    if (n === 0)
        return '0';
    const abs = Math.abs(n);
    if (abs >= 1e6 || abs < 1e-4)
        return n
            .toExponential(3)
            .replace(/\.?0+e/, 'e')
            .replace('e+', 'e');
    return String(Number(n.toPrecision(4)));
}
/** A reading in words: `0.0523`, `no data`, `NaN (nothing to divide)` ... */
function describeReading(r) {
    switch (r.kind) {
        case 'value':
            return formatNumber(r.value);
        case 'empty':
            return r.reason ? `no data (${r.reason})` : 'no data';
        case 'nan':
            return 'NaN (nothing to divide: no requests?)';
        case 'ambiguous':
            return `${r.series} series (aggregate the query to one value, e.g. with sum or max)`;
        case 'unavailable':
            return `Prometheus unavailable (${r.message})`;
        case 'rejected':
            return `query rejected (${r.message})`;
    }
}
/** A number for JSON reports: NaN and infinities (which JSON cannot hold) as their names. */
function jsonNumber(n) {
    if (n === undefined)
        return undefined;
    return Number.isFinite(n) ? n : formatNumber(n);
}
/** True when a CEL expression reads `baseline`. */
function usesBaseline(cel) {
    return /\bbaseline\b/.test(cel);
}
/** Evaluates an expectation or trigger condition with `value` and `baseline` bound. */
function evaluateCondition(cel, value, baseline) {
    if (baseline === undefined && usesBaseline(cel))
        throw new Error(`${cel} needs a baseline, and there is none`);
    return (0,_cel_criteria_js__WEBPACK_IMPORTED_MODULE_0__/* .evaluateCelCondition */ .LW)(cel, { value, baseline: baseline ?? Number.NaN }, { vars: ['value', 'baseline'] });
}
/** An expectation (`"< 0.5"`, a CEL expression) as CEL; throws with the accepted forms. */
function expectationCel(expect) {
    return (0,_cel_shorthand_js__WEBPACK_IMPORTED_MODULE_1__/* .expectationToCel */ .MH)(expect);
}
/** A CEL error (or any error) in words for a report. */
function describeJudgeError(err) {
    return (0,_cel_criteria_js__WEBPACK_IMPORTED_MODULE_0__/* .describeCelError */ .yh)(err);
}
/** The dead-man's switch a rollout gets when its plan sets none: "no metrics for 5 minutes". */
const DEFAULT_NO_DATA_MS = 5 * 60_000;
/** The name a resource trigger's readings go by in samples and reports: `cpu/limit`. */
function resourceMetric(resource) {
    return `${resource}/limit`;
}
// A share threshold in words: 0.8 and "80%" are both `80 %`.
function shareWords(v) {
    if (typeof v === 'number')
        return `${formatNumber(v * 100)} %`;
    const pct = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*%\s*$/.exec(v);
    if (pct)
        return `${pct[1]} %`;
    if (/^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)\s*$/.test(v))
        return `${formatNumber(Number(v) * 100)} %`;
    return v;
}
/** Compiles `rollbackIf`; adds the default dead-man's switch when the plan has no noDataFor. */
function compileTriggers(triggers = []) {
    const out = triggers.map((t, index) => {
        const judged = t.above !== undefined || t.below !== undefined || t.cel !== undefined;
        const cel = judged ? (0,_cel_shorthand_js__WEBPACK_IMPORTED_MODULE_1__/* .triggerToCel */ .yd)({ above: t.above, below: t.below, cel: t.cel }) : undefined;
        const samples = t.samples ?? 1;
        const of = Math.max(t.of ?? samples, samples);
        const words = [];
        if (t.resource) {
            words.push(t.resource);
            if (t.above !== undefined)
                words.push(`above ${shareWords(t.above)}`);
            if (t.below !== undefined)
                words.push(`below ${shareWords(t.below)}`);
            words.push('of limits');
            if (t.cel !== undefined)
                words.push(`cel ${t.cel}`);
        }
        else {
            if (t.metric)
                words.push(t.metric);
            if (t.above !== undefined)
                words.push(`above ${String(t.above)}`);
            if (t.below !== undefined)
                words.push(`below ${String(t.below)}`);
            if (t.cel !== undefined)
                words.push(`cel ${t.cel}`);
        }
        if (t.noDataFor !== undefined)
            words.push(`no data for ${t.noDataFor}`);
        const condition = words.join(' ');
        if (samples > 1 || of > 1)
            words.push(`(${samples} of ${of} samples)`);
        return {
            index,
            metric: t.resource ? resourceMetric(t.resource) : t.metric,
            ...(t.resource ? { resource: t.resource, condition } : {}),
            cel,
            source: words.join(' '),
            noDataForMs: t.noDataFor !== undefined ? (0,_core_duration_js__WEBPACK_IMPORTED_MODULE_2__/* .durationMs */ .pc)(t.noDataFor, 0) : undefined,
            samples,
            of
        };
    });
    if (!out.some(t => t.noDataForMs !== undefined))
        out.push({
            index: -1,
            source: `no data for ${(0,_core_duration_js__WEBPACK_IMPORTED_MODULE_2__/* .formatDuration */ .a3)(DEFAULT_NO_DATA_MS)} (default dead-man's switch)`,
            noDataForMs: DEFAULT_NO_DATA_MS,
            samples: 1,
            of: 1,
            implicit: true
        });
    return out;
}
/**
 * The state of the rollback triggers over a stage: fed one tick per
 * interval, it answers the first trigger that fires. A zero-traffic tick is
 * data (it says "no requests"): it pauses the no-data clocks instead of
 * advancing them, so an idle canary is inconclusive, not rolled back.
 */
class TriggerJudge {
    triggers;
    metricNames;
    startedAt;
    lastData = new Map();
    judged = new Map();
    /** Last baseline value seen per metric, used while the stable track has none (at 100 %). */
    lastBaseline = new Map();
    /** Problems judging (a CEL error), reported once per trigger. */
    problems = [];
    constructor(triggers, 
    /** Every metric the no-data clocks cover (those under rollout.metrics). */
    metricNames, startedAt) {
        this.triggers = triggers;
        this.metricNames = metricNames;
        this.startedAt = startedAt;
        for (const m of metricNames)
            this.lastData.set(m, startedAt);
    }
    /** When the metric last had data (or the stage started). */
    lastDataAt(metric) {
        return this.lastData.get(metric) ?? this.startedAt;
    }
    /** Metrics without data at this moment, with how long they have had none. */
    missing(now) {
        return this.metricNames
            .map(metric => ({
            metric,
            since: this.lastDataAt(metric),
            sinceMs: now - this.lastDataAt(metric)
        }))
            .filter(m => m.sinceMs > 0);
    }
    /** Feeds one tick; answers the first trigger that fires (plan order, no-data last). */
    observe(tick) {
        for (const [metric, m] of Object.entries(tick.metrics)) {
            if (m.canary.kind === 'rejected')
                return {
                    trigger: this.triggers.find(t => t.metric === metric) ?? this.triggers[0],
                    at: tick.at,
                    metric,
                    kind: 'rejected',
                    message: `${metric}: ${m.canary.message}`,
                    samples: []
                };
            if (hasValue(m.baseline))
                this.lastBaseline.set(metric, { value: m.baseline.value, at: tick.at });
        }
        if (tick.traffic === 'none') {
            for (const m of this.metricNames)
                this.lastData.set(m, tick.at);
            return undefined;
        }
        // A metric has data when its canary value is there and so is every baseline its triggers need.
        for (const [metric, m] of Object.entries(tick.metrics))
            if (hasValue(m.canary) && this.baselineFor(metric, m) !== null)
                this.lastData.set(metric, tick.at);
        for (const t of this.triggers) {
            if (!t.metric || !t.cel)
                continue;
            const m = tick.metrics[t.metric];
            if (!m || !hasValue(m.canary))
                continue;
            let baseline;
            if (usesBaseline(t.cel)) {
                const b = this.baselineFor(t.metric, m);
                // Without any baseline the comparison cannot be made: no data for this metric.
                if (b === null || b === undefined)
                    continue;
                baseline = b;
            }
            let crossed;
            try {
                crossed = evaluateCondition(t.cel, m.canary.value, baseline);
            }
            catch (err) {
                const p = `${t.source}: ${describeJudgeError(err)}`;
                if (!this.problems.includes(p))
                    this.problems.push(p);
                continue;
            }
            const list = this.judged.get(t.index) ?? [];
            list.push({ at: tick.at, value: m.canary.value, baseline, crossed });
            while (list.length > t.of)
                list.shift();
            this.judged.set(t.index, list);
            const count = list.filter(j => j.crossed).length;
            if (crossed && count >= t.samples) {
                const base = baseline === undefined ? '' : ` (baseline ${formatNumber(baseline)})`;
                const sustained = t.of > 1 ? ` in ${count} of the last ${list.length} samples` : '';
                return {
                    trigger: t,
                    at: tick.at,
                    metric: t.metric,
                    kind: 'threshold',
                    message: t.resource
                        ? `canary ${t.condition ?? t.source}: ${m.canary.detail ?? formatNumber(m.canary.value)}${sustained}`
                        : `${t.metric} = ${formatNumber(m.canary.value)}${base}: ${t.cel}${sustained}`,
                    ...(m.canary.labels ? { labels: m.canary.labels } : {}),
                    samples: list.map(j => ({
                        at: j.at,
                        value: jsonNumber(j.value),
                        baseline: jsonNumber(j.baseline),
                        crossed: j.crossed
                    }))
                };
            }
        }
        for (const t of this.triggers) {
            if (t.noDataForMs === undefined)
                continue;
            const names = t.metric ? [t.metric] : this.metricNames;
            for (const metric of names) {
                const since = this.lastDataAt(metric);
                if (tick.at - since >= t.noDataForMs) {
                    const reading = tick.metrics[metric]?.canary;
                    return {
                        trigger: t,
                        at: tick.at,
                        metric,
                        kind: 'no-data',
                        message: `no data for ${metric} since ${new Date(since).toISOString()} (${(0,_core_duration_js__WEBPACK_IMPORTED_MODULE_2__/* .formatDuration */ .a3)(tick.at - since)}, limit ${(0,_core_duration_js__WEBPACK_IMPORTED_MODULE_2__/* .formatDuration */ .a3)(t.noDataForMs)})${reading && !hasValue(reading) ? `: ${describeReading(reading)}` : ''}`,
                        samples: []
                    };
                }
            }
        }
        return undefined;
    }
    // The baseline a metric is judged against: this tick's, else the last one seen (the stable
    // track has no traffic at 100 %); null when a trigger needs one and none was ever seen.
    baselineFor(metric, m) {
        const needed = this.triggers.some(t => t.metric === metric && t.cel && usesBaseline(t.cel));
        if (hasValue(m.baseline))
            return m.baseline.value;
        const last = this.lastBaseline.get(metric)?.value;
        if (last !== undefined)
            return last;
        return needed ? null : undefined;
    }
}


/***/ }),

/***/ 9881:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   eI: () => (/* binding */ withTrack),
/* harmony export */   eu: () => (/* binding */ PromQLError),
/* harmony export */   hk: () => (/* binding */ createPrometheus),
/* harmony export */   iF: () => (/* binding */ planPrometheus),
/* harmony export */   q5: () => (/* binding */ hasTrack)
/* harmony export */ });
/* unused harmony exports PrometheusClient, parseRulesAnswer, parseAnswer, parseSampleValue, httpTransport, serviceProxyTransport */
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_https__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _core_clock_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2257);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4296);
/* harmony import */ var _core_retry_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(7253);
/* harmony import */ var _core_secrets_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(8198);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(7032);
/**
 * The Prometheus client behind the `Metrics` seam: instant queries against
 * `/api/v1/query`, directly (bearer token, basic auth, a CA bundle) or through
 * the API server's service proxy, retried with bounded backoff and jitter
 * (honouring Retry-After). Answers are parsed strictly: NaN and ±Inf are kept
 * as numbers for the judge to decide on, a rejected query is a PromQLError
 * (the plan is wrong), and a server that cannot be asked is a
 * MetricsUnavailableError.
 */









/** Prometheus rejected the query itself (HTTP 400/422): a mistake in the plan, never retried. */
class PromQLError extends Error {
    query;
    errorType;
    constructor(message, query, errorType) {
        super(message);
        this.query = query;
        this.errorType = errorType;
        this.name = 'PromQLError';
    }
}
// Statuses a healthy Prometheus (or the proxy in front of it) answers while busy or restarting.
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
/** A Prometheus-compatible query API. */
class PrometheusClient {
    opts;
    url;
    clock;
    /** Retries spent by the last query (for reports). */
    lastRetries = 0;
    constructor(opts) {
        this.opts = opts;
        this.url = opts.url;
        this.clock = opts.clock ?? _core_clock_js__WEBPACK_IMPORTED_MODULE_4__/* .systemClock */ .m;
    }
    /** Instant query; [] means no data. */
    async query(promql, opts = {}) {
        const params = { query: promql };
        if (opts.time !== undefined)
            params.time = String(opts.time);
        const timeoutMs = this.opts.timeoutMs ?? 10_000;
        let answer;
        try {
            const r = await (0,_core_retry_js__WEBPACK_IMPORTED_MODULE_6__/* .withRetry */ .bD)(() => this.opts.transport({ path: '/api/v1/query', params, timeoutMs, signal: opts.signal }), {
                maxRetries: 2,
                baseDelayMs: 200,
                maxDelayMs: 2000,
                maxRetryAfterMs: 10_000,
                ...this.opts.retry,
                clock: this.clock,
                signal: opts.signal,
                retryResult: (res) => RETRY_STATUSES.has(res.status)
                    ? {
                        reason: `HTTP ${res.status}`,
                        retryAfterMs: (0,_core_retry_js__WEBPACK_IMPORTED_MODULE_6__/* .parseRetryAfter */ .mu)(res.headers['retry-after'], this.clock.now())
                    }
                    : undefined,
                retryError: err => (opts.signal?.aborted ? undefined : { reason: (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(err) }),
                onRetry: i => this.opts.log?.debug(`prometheus ${this.url}: retry ${i.retry} in ${i.delayMs} ms (${i.reason})`)
            });
            answer = r.value;
            this.lastRetries = r.retries;
            if (r.exhausted)
                throw new _types_js__WEBPACK_IMPORTED_MODULE_8__/* .MetricsUnavailableError */ .G(`Prometheus at ${this.url} answered HTTP ${answer.status} (after ${r.retries} ${r.retries === 1 ? 'retry' : 'retries'})`, answer.status);
        }
        catch (err) {
            if (opts.signal?.aborted || err instanceof _types_js__WEBPACK_IMPORTED_MODULE_8__/* .MetricsUnavailableError */ .G)
                throw err;
            const retries = err instanceof _core_retry_js__WEBPACK_IMPORTED_MODULE_6__/* .RetryError */ .J_ ? err.retries : 0;
            this.lastRetries = retries;
            const cause = err instanceof _core_retry_js__WEBPACK_IMPORTED_MODULE_6__/* .RetryError */ .J_ ? err.cause : err;
            throw new _types_js__WEBPACK_IMPORTED_MODULE_8__/* .MetricsUnavailableError */ .G((0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_7__/* .redact */ .E$)(`cannot reach Prometheus at ${this.url}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(cause)}${retries ? ` (after ${retries} ${retries === 1 ? 'retry' : 'retries'})` : ''}`));
        }
        return parseAnswer(answer, promql, this.url);
    }
    /** The rules Prometheus has loaded (`/api/v1/rules`), retried like a query. */
    async rules(opts = {}) {
        const timeoutMs = this.opts.timeoutMs ?? 10_000;
        let res;
        try {
            const r = await (0,_core_retry_js__WEBPACK_IMPORTED_MODULE_6__/* .withRetry */ .bD)(() => this.opts.transport({
                path: '/api/v1/rules',
                params: {},
                timeoutMs,
                signal: opts.signal
            }), {
                maxRetries: 2,
                baseDelayMs: 200,
                maxDelayMs: 2000,
                ...this.opts.retry,
                clock: this.clock,
                signal: opts.signal,
                retryResult: x => RETRY_STATUSES.has(x.status) ? { reason: `HTTP ${x.status}` } : undefined,
                retryError: err => (opts.signal?.aborted ? undefined : { reason: (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(err) })
            });
            res = r.value;
        }
        catch (err) {
            if (opts.signal?.aborted)
                throw err;
            const cause = err instanceof _core_retry_js__WEBPACK_IMPORTED_MODULE_6__/* .RetryError */ .J_ ? err.cause : err;
            throw new _types_js__WEBPACK_IMPORTED_MODULE_8__/* .MetricsUnavailableError */ .G((0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_7__/* .redact */ .E$)(`cannot reach Prometheus at ${this.url}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(cause)}`));
        }
        return parseRulesAnswer(res, this.url);
    }
}
/** Parses an answer of `/api/v1/rules` into the rules it lists. */
function parseRulesAnswer(res, url = 'Prometheus') {
    if (res.status < 200 || res.status >= 300)
        throw new _types_js__WEBPACK_IMPORTED_MODULE_8__/* .MetricsUnavailableError */ .G(`Prometheus at ${url} answered HTTP ${res.status} to /api/v1/rules`, res.status);
    let body;
    try {
        body = JSON.parse(res.body);
    }
    catch {
        body = undefined;
    }
    const data = isRecord(body) && body.status === 'success' && isRecord(body.data) ? body.data : undefined;
    if (!data || !Array.isArray(data.groups))
        throw new _types_js__WEBPACK_IMPORTED_MODULE_8__/* .MetricsUnavailableError */ .G(`Prometheus at ${url} answered /api/v1/rules with no rule groups`);
    const out = [];
    for (const g of data.groups) {
        if (!isRecord(g) || !Array.isArray(g.rules))
            continue;
        for (const r of g.rules) {
            if (!isRecord(r) || typeof r.name !== 'string')
                continue;
            out.push({
                name: r.name,
                type: r.type === 'recording' ? 'recording' : 'alerting',
                group: typeof g.name === 'string' ? g.name : '',
                file: typeof g.file === 'string' ? g.file : undefined,
                health: typeof r.health === 'string' ? r.health : undefined,
                lastError: typeof r.lastError === 'string' && r.lastError ? r.lastError : undefined,
                state: typeof r.state === 'string' ? r.state : undefined,
                query: typeof r.query === 'string' ? r.query : undefined
            });
        }
    }
    return out;
}
/** Parses an answer of `/api/v1/query` into samples (throws PromQLError / MetricsUnavailableError). */
function parseAnswer(res, promql, url = 'Prometheus') {
    let json;
    try {
        json = JSON.parse(res.body);
    }
    catch {
        json = undefined;
    }
    const body = isRecord(json) ? json : undefined;
    if (res.status === 400 || res.status === 422) {
        const why = typeof body?.error === 'string' ? body.error : res.body.slice(0, 300);
        throw new PromQLError(`Prometheus rejected the query ${promql}: ${why}`, promql, typeof body?.errorType === 'string' ? body.errorType : undefined);
    }
    if (res.status === 401 || res.status === 403) {
        throw new _types_js__WEBPACK_IMPORTED_MODULE_8__/* .MetricsUnavailableError */ .G(`Prometheus at ${url} refused the request (HTTP ${res.status}): check the bearer token or basic auth settings`, res.status);
    }
    if (res.status < 200 || res.status >= 300) {
        const why = typeof body?.error === 'string' ? `: ${body.error}` : '';
        throw new _types_js__WEBPACK_IMPORTED_MODULE_8__/* .MetricsUnavailableError */ .G(`Prometheus at ${url} answered HTTP ${res.status}${why}`, res.status);
    }
    if (!body || body.status !== 'success' || !isRecord(body.data)) {
        // Name what came instead (a proxy's HTML page, a body cut short), so the report says what failed.
        const why = typeof body?.error === 'string'
            ? body.error
            : `something that is not a Prometheus API answer (HTTP ${res.status}, content-type ${res.headers['content-type'] ?? 'none'}): ${(0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_7__/* .redact */ .E$)(res.body.replace(/\s+/g, ' ').slice(0, 120))}`;
        throw new _types_js__WEBPACK_IMPORTED_MODULE_8__/* .MetricsUnavailableError */ .G(`Prometheus at ${url} answered ${why}`, res.status);
    }
    const { resultType, result } = body.data;
    switch (resultType) {
        case 'vector':
            if (!Array.isArray(result))
                throw malformed(url);
            return result.map(item => {
                if (!isRecord(item) || !Array.isArray(item.value))
                    throw malformed(url);
                return {
                    labels: stringRecord(item.metric),
                    timestamp: Number(item.value[0]),
                    value: parseSampleValue(item.value[1])
                };
            });
        case 'scalar':
            if (!Array.isArray(result))
                throw malformed(url);
            return [{ labels: {}, timestamp: Number(result[0]), value: parseSampleValue(result[1]) }];
        case 'matrix':
            throw new PromQLError(`the query ${promql} gives a range vector; an instant value is needed: wrap the selector in a function such as rate(...) or last_over_time(...)`, promql, 'range-vector');
        default:
            throw new PromQLError(`the query ${promql} gives a ${String(resultType)}, not a number`, promql, 'result-type');
    }
}
/** A sample value as Prometheus writes it ("1.5", "NaN", "+Inf", "-Inf") as a number. */
function parseSampleValue(text) {
    if (text === 'NaN')
        return Number.NaN;
    if (text === '+Inf' || text === 'Inf')
        return Number.POSITIVE_INFINITY;
    if (text === '-Inf')
        return Number.NEGATIVE_INFINITY;
    if (typeof text !== 'string' || text.trim() === '')
        throw new Error(`not a sample value: ${String(text)}`);
    const n = Number(text);
    if (Number.isNaN(n))
        throw new Error(`not a sample value: ${text}`);
    return n;
}
/** The query with `{{track}}` (spaces allowed inside the braces) replaced by the track. */
function withTrack(query, track) {
    return query.replace(/\{\{\s*track\s*\}\}/g, track);
}
/** True when the query names a track. */
function hasTrack(query) {
    return /\{\{\s*track\s*\}\}/.test(query);
}
function malformed(url) {
    return new _types_js__WEBPACK_IMPORTED_MODULE_8__/* .MetricsUnavailableError */ .G(`Prometheus at ${url} answered a malformed result`);
}
function isRecord(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function stringRecord(v) {
    const out = {};
    if (isRecord(v))
        for (const [k, x] of Object.entries(v))
            if (typeof x === 'string')
                out[k] = x;
    return out;
}
/** Direct HTTP(S) to a Prometheus base URL, with extra headers and an optional CA bundle. */
function httpTransport(opts) {
    const base = new URL(opts.url);
    const agent = base.protocol === 'https:'
        ? new (node_https__WEBPACK_IMPORTED_MODULE_1___default().Agent)({ keepAlive: true, ...(opts.ca ? { ca: opts.ca } : {}) })
        : new (node_http__WEBPACK_IMPORTED_MODULE_0___default().Agent)({ keepAlive: true });
    return req => new Promise((resolvePromise, reject) => {
        const url = new URL(base.href.replace(/\/+$/, '') + req.path);
        for (const [k, v] of Object.entries(req.params))
            url.searchParams.set(k, v);
        const mod = url.protocol === 'https:' ? (node_https__WEBPACK_IMPORTED_MODULE_1___default()) : (node_http__WEBPACK_IMPORTED_MODULE_0___default());
        const r = mod.request(url, {
            method: 'GET',
            agent,
            headers: { Accept: 'application/json', 'User-Agent': 'phase-gate', ...opts.headers },
            signal: req.signal
        });
        r.setTimeout(req.timeoutMs, () => r.destroy(new Error(`no answer within ${req.timeoutMs} ms`)));
        r.on('response', res => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('error', reject);
            res.on('end', () => {
                const headers = {};
                for (const [k, v] of Object.entries(res.headers))
                    if (v !== undefined)
                        headers[k] = Array.isArray(v) ? v.join(', ') : v;
                resolvePromise({
                    status: res.statusCode ?? 0,
                    headers,
                    body: Buffer.concat(chunks).toString('utf8')
                });
            });
        });
        r.on('error', err => reject(describeTransportError(err, opts.url)));
        r.end();
    });
}
function describeTransportError(err, url) {
    if (err.name === 'AbortError')
        return err;
    const code = err.code ?? '';
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code))
        return new Error(`TLS with ${url} failed (${code}): set the CA bundle (prometheus.caFile) that signed its certificate`);
    if (code === 'ECONNREFUSED')
        return new Error('connection refused');
    if (code === 'ECONNRESET')
        return new Error('connection reset');
    if (code === 'ENOTFOUND')
        return new Error('host not found');
    return new Error(err.message);
}
/** Through the API server's service proxy (`namespace/service:port`). */
function serviceProxyTransport(cluster, target) {
    const m = /^([^/]+)\/([^:]+):(.+)$/.exec(target);
    if (!m)
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .UsageError */ .eb(`prometheus.serviceProxy "${target}" is not namespace/service:port`);
    const [, namespace, service, port] = m;
    return async (req) => {
        const qs = new URLSearchParams(req.params).toString();
        const c = await cluster();
        // A non-2xx answer comes back as a result; only a transport failure throws.
        const res = await c.proxy({
            namespace,
            service,
            port,
            path: `${req.path}?${qs}`,
            timeoutMs: req.timeoutMs
        });
        return { status: res.status, headers: res.headers, body: res.body };
    };
}
/** Where the plan's Prometheus comes from: `rollout.metrics.prometheus`, else the top-level `prometheus`. */
function planPrometheus(plan) {
    const fromRollout = plan.rollout?.metrics?.prometheus;
    return fromRollout ?? plan.prometheus;
}
/** A client for a plan's Prometheus setting; credentials from the environment, registered as secrets. */
function createPrometheus(spec, opts = {}) {
    const s = typeof spec === 'string' ? { url: spec } : spec;
    const env = opts.env ?? process.env;
    const need = (name, what) => {
        const v = env[name];
        if (!v)
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .UsageError */ .eb(`${what}: the environment variable ${name} is not set`);
        (0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_7__/* .registerSecret */ .cl)(v);
        return v;
    };
    const headers = {};
    if (s.bearerTokenEnv)
        headers.Authorization = `Bearer ${need(s.bearerTokenEnv, 'prometheus.bearerTokenEnv')}`;
    if (s.basicAuth) {
        const user = need(s.basicAuth.usernameEnv, 'prometheus.basicAuth.usernameEnv');
        const pass = need(s.basicAuth.passwordEnv, 'prometheus.basicAuth.passwordEnv');
        const token = Buffer.from(`${user}:${pass}`).toString('base64');
        (0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_7__/* .registerSecret */ .cl)(token);
        headers.Authorization = `Basic ${token}`;
    }
    let ca;
    if (s.caFile) {
        const path = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.isAbsolute)(s.caFile) ? s.caFile : (0,node_path__WEBPACK_IMPORTED_MODULE_3__.resolve)(opts.baseDir ?? '.', s.caFile);
        try {
            ca = (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.readFileSync)(path, 'utf8');
        }
        catch (err) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .UsageError */ .eb(`prometheus.caFile ${s.caFile} cannot be read: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(err)}`);
        }
    }
    let transport = opts.transport;
    let shown = s.url;
    if (!transport) {
        if (s.serviceProxy) {
            if (!opts.cluster)
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .UsageError */ .eb('prometheus.serviceProxy needs a cluster connection');
            transport = serviceProxyTransport(opts.cluster, s.serviceProxy);
            shown = `service proxy ${s.serviceProxy}`;
        }
        else
            transport = httpTransport({ url: s.url, headers, ca });
    }
    return new PrometheusClient({
        url: stripCredentials(shown),
        transport,
        clock: opts.clock,
        log: opts.log,
        timeoutMs: opts.timeoutMs,
        retry: opts.retry
    });
}
function stripCredentials(url) {
    try {
        const u = new URL(url);
        if (u.username || u.password) {
            (0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_7__/* .registerSecret */ .cl)(decodeURIComponent(u.password));
            u.username = '';
            u.password = '';
        }
        return u.href.replace(/\/$/, '');
    }
    catch {
        return url;
    }
}


/***/ }),

/***/ 7032:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   G: () => (/* binding */ MetricsUnavailableError)
/* harmony export */ });
/** The metrics seam: a Prometheus-compatible query API. */
/** Prometheus could not be reached or did not answer a query. */
class MetricsUnavailableError extends Error {
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
        this.name = 'MetricsUnavailableError';
    }
}


/***/ }),

/***/ 5368:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   KL: () => (/* binding */ EVENT_TITLE),
/* harmony export */   Nk: () => (/* binding */ EVENT_ICON),
/* harmony export */   qJ: () => (/* binding */ isNotifyEventKind),
/* harmony export */   yK: () => (/* binding */ NOTIFY_EVENTS)
/* harmony export */ });
/**
 * What a webhook is told: the five moments a team asked to hear about, with
 * the plan, the target and the numbers behind them. The same event becomes a
 * Slack-compatible or a plain JSON payload (payload.ts).
 */
/** The events `notify[].events` may name (default: all of them). */
const NOTIFY_EVENTS = [
    'awaiting-approval',
    'stage-promoted',
    'rollback-triggered',
    'degraded',
    'stable'
];
/** True when the text names an event kind. */
function isNotifyEventKind(text) {
    return NOTIFY_EVENTS.includes(text);
}
/** Short titles per kind, for chat headers. */
const EVENT_TITLE = {
    'awaiting-approval': 'awaiting approval',
    'stage-promoted': 'stage promoted',
    'rollback-triggered': 'rollback triggered',
    degraded: 'degraded',
    stable: 'stable'
};
/** An emoji per kind, so a channel can be scanned at a glance. */
const EVENT_ICON = {
    'awaiting-approval': ':hourglass_flowing_sand:',
    'stage-promoted': ':arrow_forward:',
    'rollback-triggered': ':rewind:',
    degraded: ':warning:',
    stable: ':white_check_mark:'
};


/***/ }),

/***/ 8293:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   XM: () => (/* binding */ stageEvent),
/* harmony export */   ki: () => (/* binding */ notifyReport)
/* harmony export */ });
/* unused harmony export eventsFromReport */
/* harmony import */ var _report_model_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6867);
/* harmony import */ var _send_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9716);
/**
 * The events a finished run's report implies, for the gates that do not send
 * their own: a rendered plan awaits approval (the approval comes after the
 * run), a rollback level run by hand means a rollback was triggered. The soak
 * gate (degraded, stable, the rollback it starts) and the rollout gate (each
 * stage promoted or triggered, as it happens) tell their own events while
 * they run and mark them `details.notified`, so they are not repeated here; a
 * report of an older version without that mark still yields them.
 */


const str = (v) => (typeof v === 'string' && v ? v : undefined);
const num = (v) => (typeof v === 'number' ? v : undefined);
function firstProblem(g) {
    const c = g.checks.find(x => !(0,_report_model_js__WEBPACK_IMPORTED_MODULE_0__/* .isPassing */ .WG)(x.verdict));
    return c ? `${c.kind} ${c.target}: ${c.message}` : undefined;
}
/** The event one finished rollout stage implies: promoted when it passed, rollback-triggered on a trigger. */
function stageEvent(g, plan, base) {
    const trigger = g.checks.find(c => c.kind === 'trigger' && c.verdict === 'fail');
    const stage = g.name ?? str(g.details?.stage) ?? 'stage';
    const weight = num(g.details?.weight) ?? plan.rollout?.stages?.find(s => s.name === stage)?.weight;
    const at = `stage ${stage}${weight !== undefined ? ` (${weight}%)` : ''}`;
    if (trigger) {
        const back = g.checks.find(c => c.kind === 'rollback');
        return {
            ...base,
            kind: 'rollback-triggered',
            summary: `${at}: ${trigger.message}`,
            detail: back ? back.message : undefined,
            state: back && (0,_report_model_js__WEBPACK_IMPORTED_MODULE_0__/* .isPassing */ .WG)(back.verdict) ? 'previous-stable' : 'rolling-back',
            data: { stage, weight, trigger: trigger.data }
        };
    }
    if (!(0,_report_model_js__WEBPACK_IMPORTED_MODULE_0__/* .isPassing */ .WG)(g.verdict) || g.verdict === 'skip')
        return undefined;
    return {
        ...base,
        kind: 'stage-promoted',
        summary: `${at} promoted`,
        detail: g.checks
            .filter(c => c.kind === 'metric' || c.kind === 'hold')
            .map(c => c.message)
            .slice(0, 4)
            .join('\n') || undefined,
        state: weight !== undefined && weight >= 100 ? 'active' : 'deploying',
        data: { stage, weight }
    };
}
/** The events a report implies (awaiting-approval, stage-promoted, rollback-triggered) that its gates did not send themselves. */
function eventsFromReport(report, plan, opts = {}) {
    const base = (g) => ({
        plan: report.plan,
        target: { context: report.target.context, namespace: report.target.namespace },
        runId: report.runId,
        at: new Date(Date.parse(g.startedAt) + g.durationMs).toISOString(),
        runUrl: opts.runUrl
    });
    const events = [];
    for (const g of report.gates) {
        if (g.gate === 'plan' && (0,_report_model_js__WEBPACK_IMPORTED_MODULE_0__/* .isPassing */ .WG)(g.verdict) && g.verdict !== 'skip') {
            const env = str(g.details?.approvalEnvironment) ?? plan.approval?.environment;
            const risks = num(g.details?.risks);
            events.push({
                ...base(g),
                kind: 'awaiting-approval',
                summary: env
                    ? `the plan is rendered; approve it in the environment ${env}`
                    : 'the plan is rendered and awaits approval',
                detail: risks
                    ? `${risks} risk${risks === 1 ? '' : 's'} from the reality check are listed in the plan`
                    : undefined,
                data: { environment: env, risks }
            });
        }
        // The rollout gate tells each stage as it is promoted or triggered (details.notified).
        if (g.gate === 'rollout' && g.details?.notified !== true) {
            const e = stageEvent(g, plan, base(g));
            if (e)
                events.push(e);
        }
        // A rollback the soak gate started was told when it started.
        if (g.gate === 'rollback' && g.details?.notified !== true) {
            const level = g.name ?? str(g.details?.level) ?? 'rollback';
            const ok = (0,_report_model_js__WEBPACK_IMPORTED_MODULE_0__/* .isPassing */ .WG)(g.verdict);
            events.push({
                ...base(g),
                kind: 'rollback-triggered',
                summary: `${level} rollback ${ok ? 'done and verified' : 'did not complete'}`,
                detail: ok ? g.checks[0]?.message : firstProblem(g),
                state: ok ? 'previous-stable' : 'failed',
                data: { level, durationMs: num(g.details?.durationMs), budgetMs: num(g.details?.budgetMs) }
            });
        }
    }
    return events;
}
/** Sends the events a report implies to the plan's webhooks; never throws. */
async function notifyReport(report, plan, opts = {}) {
    if (!plan.notify?.length)
        return [];
    const out = [];
    for (const e of eventsFromReport(report, plan, opts))
        out.push(...(await (0,_send_js__WEBPACK_IMPORTED_MODULE_1__/* .sendNotification */ ._Y)(plan.notify, e, opts)));
    return out;
}


/***/ }),

/***/ 9716:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  vl: () => (/* binding */ describeOutcomes),
  _Y: () => (/* binding */ sendNotification)
});

// UNUSED EXPORTS: unknownEvents, wants, webhookName

// EXTERNAL MODULE: ./src/core/secrets.ts
var secrets = __webpack_require__(8198);
// EXTERNAL MODULE: ./src/notify/events.ts
var events = __webpack_require__(5368);
;// CONCATENATED MODULE: ./src/notify/payload.ts
/**
 * Payloads for the two webhook formats: Slack-compatible (incoming webhooks
 * of Slack, Mattermost, Rocket.Chat and Discord's `/slack` endpoint all take
 * `text`, Slack also renders `blocks`) and a plain, versioned JSON object for
 * anything else. Both are built from the same event and pass through
 * `redact`, so a secret that reached a message never leaves in a payload.
 */


/** Version of the JSON payload's shape. */
const JSON_PAYLOAD_SCHEMA = 'phase-gate.notification/v1';
// Slack's limits: a header's text at most 150 characters, a section's 3000.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
function clip(text, max) {
    return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
/** Text safe inside Slack mrkdwn: `&`, `<` and `>` are its control characters. */
function slackEscape(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
function targetOf(e) {
    return e.target.context ? `${e.target.context}/${e.target.namespace}` : e.target.namespace;
}
/** The one-line text of an event (Slack's `text`, also the notification preview). */
function eventLine(e) {
    return `${e.plan} → ${targetOf(e)}: ${events/* EVENT_TITLE */.KL[e.kind]}: ${e.summary}`;
}
/** A Slack-compatible incoming-webhook body. */
function slackPayload(e) {
    const context = [
        `plan \`${slackEscape(e.plan)}\``,
        `target \`${slackEscape(targetOf(e))}\``,
        `run \`${slackEscape(e.runId)}\``
    ];
    if (e.state)
        context.push(`state *${slackEscape(e.state)}*`);
    if (e.runUrl)
        context.push(`<${e.runUrl}|workflow run>`);
    const section = e.detail
        ? `*${slackEscape(e.summary)}*\n${slackEscape(e.detail)}`
        : `*${slackEscape(e.summary)}*`;
    const body = {
        text: slackEscape(eventLine(e)),
        blocks: [
            {
                type: 'header',
                text: {
                    type: 'plain_text',
                    text: clip(`${e.plan}: ${events/* EVENT_TITLE */.KL[e.kind]}`, HEADER_MAX),
                    emoji: true
                }
            },
            {
                type: 'section',
                text: { type: 'mrkdwn', text: clip(`${events/* EVENT_ICON */.Nk[e.kind]} ${section}`, SECTION_MAX) }
            },
            { type: 'context', elements: [{ type: 'mrkdwn', text: context.join(' · ') }] }
        ]
    };
    return JSON.parse((0,secrets/* redact */.E$)(JSON.stringify(body)));
}
/** The plain JSON body: the event with a schema tag. */
function jsonPayload(e) {
    const body = {
        schema: JSON_PAYLOAD_SCHEMA,
        event: e.kind,
        title: events/* EVENT_TITLE */.KL[e.kind],
        plan: e.plan,
        target: e.target,
        runId: e.runId,
        at: e.at,
        summary: e.summary
    };
    if (e.detail)
        body.detail = e.detail;
    if (e.state)
        body.state = e.state;
    if (e.runUrl)
        body.runUrl = e.runUrl;
    if (e.data)
        body.data = e.data;
    return JSON.parse((0,secrets/* redact */.E$)(JSON.stringify(body)));
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
// EXTERNAL MODULE: ./src/core/clock.ts
var core_clock = __webpack_require__(2257);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/core/retry.ts
var retry = __webpack_require__(7253);
;// CONCATENATED MODULE: ./src/notify/webhook.ts
/**
 * The one HTTP client for webhooks: POST a JSON body, retried with bounded
 * backoff and jitter (honouring Retry-After) on network errors, 429 and 5xx,
 * each attempt under its own timeout. It never throws and never names the
 * URL: the caller registered it as a secret, and everything this returns is
 * redacted and speaks of the webhook by its plan name only.
 */






const BODY_KEEP = 300;
/** POSTs over node:http(s); only a transport failure rejects. */
const httpWebhookTransport = (url, body, opts) => new Promise((resolve, reject) => {
    const mod = url.protocol === 'https:' ? (external_node_https_default()) : (external_node_http_default());
    const req = mod.request(url, {
        method: 'POST',
        headers: {
            'Content-Type': 'application/json; charset=utf-8',
            'Content-Length': Buffer.byteLength(body),
            'User-Agent': 'phase-gate'
        },
        signal: opts.signal
    });
    req.setTimeout(opts.timeoutMs, () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
    req.on('response', res => {
        const chunks = [];
        let size = 0;
        res.on('data', (c) => {
            if (size < BODY_KEEP)
                chunks.push(c);
            size += c.length;
        });
        res.on('error', reject);
        res.on('end', () => {
            const ra = res.headers['retry-after'];
            resolve({
                status: res.statusCode ?? 0,
                retryAfter: Array.isArray(ra) ? ra[0] : ra,
                body: Buffer.concat(chunks).toString('utf8').slice(0, BODY_KEEP)
            });
        });
    });
    req.on('error', err => reject(describeError(err)));
    req.end(body);
});
// Node's messages name the host and port; the URL is a secret, so only the code is kept.
function describeError(err) {
    if (err.name === 'AbortError')
        return err;
    switch (err.code) {
        case 'ECONNREFUSED':
            return new Error('connection refused');
        case 'ECONNRESET':
            return new Error('connection reset');
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            return new Error('host not found');
        case 'ETIMEDOUT':
            return new Error('connection timed out');
        default:
            return new Error(err.code ? `network error ${err.code}` : (0,secrets/* redact */.E$)(err.message));
    }
}
/** Whether an answer is worth another attempt. */
function retryableStatus(status) {
    return status === 429 || status === 408 || status >= 500;
}
/** Delivers one JSON body to a webhook URL; never throws. */
async function postWebhook(url, payload, opts = {}) {
    const clock = opts.clock ?? core_clock/* systemClock */.m;
    const started = clock.now();
    let target;
    try {
        target = new URL(url);
    }
    catch {
        return { ok: false, attempts: 0, error: 'not a URL', durationMs: 0 };
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:')
        return { ok: false, attempts: 0, error: 'not an http(s) URL', durationMs: 0 };
    const body = JSON.stringify(payload);
    const transport = opts.transport ?? httpWebhookTransport;
    const timeoutMs = opts.timeoutMs ?? 5000;
    let attempts = 0;
    try {
        const r = await (0,retry/* withRetry */.bD)(async () => {
            attempts++;
            return transport(target, body, { timeoutMs, signal: opts.signal });
        }, {
            maxRetries: opts.maxRetries ?? 3,
            baseDelayMs: opts.baseDelayMs ?? 500,
            maxDelayMs: 4000,
            maxRetryAfterMs: opts.maxRetryAfterMs ?? 10_000,
            clock,
            signal: opts.signal,
            random: opts.random,
            retryResult: (res) => retryableStatus(res.status)
                ? {
                    reason: `HTTP ${res.status}`,
                    retryAfterMs: (0,retry/* parseRetryAfter */.mu)(res.retryAfter, clock.now())
                }
                : undefined,
            retryError: err => (opts.signal?.aborted ? undefined : { reason: (0,errors/* errorMessage */.gJ)(err) })
        });
        const res = r.value;
        const ok = res.status >= 200 && res.status < 300;
        const why = res.body.trim() ? `: ${res.body.trim().split('\n')[0]}` : '';
        return {
            ok,
            attempts,
            status: res.status,
            error: ok ? undefined : (0,secrets/* redact */.E$)(`HTTP ${res.status}${why}`),
            durationMs: clock.now() - started
        };
    }
    catch (err) {
        const cause = err instanceof retry/* RetryError */.J_ ? err.cause : err;
        return {
            ok: false,
            attempts,
            error: (0,secrets/* redact */.E$)((0,errors/* errorMessage */.gJ)(cause)),
            durationMs: clock.now() - started
        };
    }
}

;// CONCATENATED MODULE: ./src/notify/send.ts
/**
 * Sends an event to every webhook of the plan's `notify:` that wants it. The
 * URL comes from the environment variable the plan names (a secret in CI),
 * is registered as a secret before anything else happens, and is never
 * logged: outcomes speak of a webhook by its name. Deliveries run in
 * parallel, each bounded by its retries and timeouts; a failure is a warning
 * and an outcome, never an exception, so no verdict waits on a chat server.
 */




/** The name a webhook is known by in logs and reports. */
function webhookName(spec) {
    return spec.name ?? spec.urlEnv;
}
/** True when the webhook wants this kind of event (no `events`: all). */
function wants(spec, kind) {
    return !spec.events || spec.events.length === 0 || spec.events.includes(kind);
}
/** Event names in `notify[].events` that are not events (they never match). */
function unknownEvents(specs = []) {
    return specs.flatMap(s => (s.events ?? [])
        .filter(e => !(0,events/* isNotifyEventKind */.qJ)(e))
        .map(event => ({ webhook: webhookName(s), event })));
}
// Each misspelt event filter is told once per process, not at every event.
const toldUnknown = new Set();
/** Delivers one event to the webhooks that want it; resolves to one outcome each. */
async function sendNotification(specs, event, opts = {}) {
    const env = opts.env ?? process.env;
    for (const u of unknownEvents(specs)) {
        const key = `${u.webhook}/${u.event}`;
        if (toldUnknown.has(key))
            continue;
        toldUnknown.add(key);
        opts.log?.warn(`notify ${u.webhook}: "${u.event}" is not an event (events: ${events/* NOTIFY_EVENTS */.yK.join(', ')}); it never matches`);
    }
    const targets = (specs ?? []).filter(s => wants(s, event.kind));
    return Promise.all(targets.map(async (spec) => {
        const webhook = webhookName(spec);
        const format = spec.format ?? 'json';
        const base = { webhook, event: event.kind, format };
        const url = env[spec.urlEnv]?.trim();
        if (!url) {
            const error = `the environment variable ${spec.urlEnv} is not set`;
            opts.log?.warn(`notify ${webhook}: ${error}; ${event.kind} not sent`);
            return { ...base, ok: false, attempts: 0, error };
        }
        (0,secrets/* registerSecret */.cl)(url);
        const payload = format === 'slack' ? slackPayload(event) : jsonPayload(event);
        const d = await postWebhook(url, payload, {
            ...opts.webhook,
            clock: opts.clock,
            signal: opts.signal
        });
        const tries = `${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`;
        if (d.ok)
            opts.log?.info(`notify ${webhook}: ${event.kind} delivered (${tries})`);
        else
            opts.log?.warn(`notify ${webhook}: ${event.kind} not delivered after ${tries}: ${d.error ?? 'unknown error'}`);
        return { ...base, ok: d.ok, attempts: d.attempts, status: d.status, error: d.error };
    }));
}
/** One line per outcome, for a gate's notes. */
function describeOutcomes(outcomes) {
    return outcomes.map(o => o.ok
        ? `notified ${o.webhook} (${o.format}): ${o.event}`
        : `could not notify ${o.webhook} of ${o.event}: ${o.error ?? 'not delivered'} (the verdict stands)`);
}


/***/ }),

/***/ 9310:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   FH: () => (/* binding */ formatReference),
/* harmony export */   Tn: () => (/* binding */ manifestReference),
/* harmony export */   Xb: () => (/* binding */ DOCKER_HUB),
/* harmony export */   o_: () => (/* binding */ parseImageReference)
/* harmony export */ });
/* unused harmony exports MAX_REPOSITORY_LENGTH, ImageReferenceError, validateImageReference, familiarName */
/**
 * Image references parsed and normalised the way distribution/reference's
 * `ParseNormalizedNamed` does, so `nginx`, `docker.io/library/nginx` and
 * `index.docker.io/library/nginx` all name the same image the cluster pulls.
 */
/** Docker Hub's canonical name. */
const DOCKER_HUB = 'docker.io';
const LEGACY_DOCKER_HUB = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';
/** Longest repository path a registry accepts (distribution's RepositoryNameTotalLengthMax). */
const MAX_REPOSITORY_LENGTH = 255;
// The grammar, built the way distribution's regexp.go builds it so each piece
// can also be used alone when explaining what part of a reference is wrong.
const ALPHANUMERIC = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`;
const REMOTE_NAME = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const IPV6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const DOMAIN_AND_PORT = `(?:${DOMAIN_NAME}|${IPV6})(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE_RE = new RegExp(`^((?:${DOMAIN_AND_PORT}/)?${REMOTE_NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const NAME_RE = new RegExp(`^(?:(${DOMAIN_AND_PORT})/)?(${REMOTE_NAME})$`);
const PATH_COMPONENT_RE = new RegExp(`^${PATH_COMPONENT}$`);
const DOMAIN_RE = new RegExp(`^${DOMAIN_AND_PORT}$`);
const TAG_RE = new RegExp(`^${TAG}$`);
const DIGEST_RE = new RegExp(`^${DIGEST}$`);
const IDENTIFIER_RE = /^[a-f0-9]{64}$/;
// Digest algorithms go-digest registers, with their hex lengths.
const DIGEST_HEX_LENGTH = { sha256: 64, sha384: 96, sha512: 128 };
/** Thrown for a reference that is not a valid image name; the message names the wrong part. */
class ImageReferenceError extends Error {
    reference;
    problem;
    constructor(reference, problem) {
        super(`invalid image reference "${reference}": ${problem}`);
        this.reference = reference;
        this.problem = problem;
        this.name = 'ImageReferenceError';
    }
}
/** Parses an image reference the way the container runtime will, defaulting Docker Hub and `library/`. */
function parseImageReference(text) {
    const fail = (problem) => {
        throw new ImageReferenceError(text, problem);
    };
    if (text === '')
        fail('it is empty');
    if (text.trim() !== text)
        fail('it has leading or trailing whitespace');
    if (/^[:@]/.test(text))
        fail('the repository name before the tag or digest is empty');
    if (text.includes('://'))
        fail('image references have no URL scheme: drop the "http(s)://"');
    if (IDENTIFIER_RE.test(text)) {
        fail('a 64-character hexadecimal string is an image ID, not a repository name');
    }
    const [registry, remainder] = splitDockerDomain(text);
    // The lowercase rule applies to the repository path only, so check it before
    // the tag (which may hold capitals) is part of the match.
    const colon = remainder.indexOf(':');
    const remote = colon >= 0 ? remainder.slice(0, colon) : remainder;
    if (remote.toLowerCase() !== remote) {
        fail(`repository name "${remote.split('@')[0]}" must be lowercase`);
    }
    const full = `${registry}/${remainder}`;
    const m = REFERENCE_RE.exec(full);
    if (!m)
        fail(explain(full));
    const [, name, tag, digest] = m;
    const nm = NAME_RE.exec(name);
    const repository = nm ? nm[2] : name;
    if (repository.length > MAX_REPOSITORY_LENGTH) {
        fail(`repository name is ${repository.length} characters, more than the ${MAX_REPOSITORY_LENGTH} registries accept`);
    }
    if (digest) {
        const problem = digestProblem(digest);
        if (problem)
            fail(problem);
    }
    const ref = { original: text, registry, repository };
    if (tag)
        ref.tag = tag;
    if (digest)
        ref.digest = digest;
    return ref;
}
/** The parse error's message, or undefined when the text is a valid reference. */
function validateImageReference(text) {
    try {
        parseImageReference(text);
        return undefined;
    }
    catch (err) {
        return err instanceof ImageReferenceError ? err.problem : String(err);
    }
}
/**
 * The canonical form `registry/repository[:tag][@digest]`, or with `familiar`
 * the short form people write (`nginx:1.25`, `bitnami/redis`).
 */
function formatReference(ref, opts = {}) {
    let s = opts.familiar ? familiarName(ref) : `${ref.registry}/${ref.repository}`;
    if (ref.tag)
        s += `:${ref.tag}`;
    if (ref.digest)
        s += `@${ref.digest}`;
    return s;
}
/** The name without Docker Hub's domain and `library/` prefix, as `docker` shows it. */
function familiarName(ref) {
    if (ref.registry !== DOCKER_HUB)
        return `${ref.registry}/${ref.repository}`;
    const rest = ref.repository.slice(OFFICIAL_PREFIX.length);
    // `library/foo/bar` keeps its prefix: dropping it would make `foo/bar`, another image.
    if (ref.repository.startsWith(OFFICIAL_PREFIX) && !rest.includes('/'))
        return rest;
    return ref.repository;
}
/** What the manifest endpoint is asked for: the digest when pinned, else the tag (`latest` by default). */
function manifestReference(ref) {
    return ref.digest ?? ref.tag ?? 'latest';
}
// Splits off the registry host the way docker does: the first component is a
// host only when it contains `.` or `:`, is `localhost`, or has capitals
// (repository paths cannot).
function splitDockerDomain(name) {
    const slash = name.indexOf('/');
    if (slash < 0)
        return [DOCKER_HUB, OFFICIAL_PREFIX + name];
    const first = name.slice(0, slash);
    let rest = name.slice(slash + 1);
    let domain;
    if (first === 'localhost')
        domain = first;
    else if (first === LEGACY_DOCKER_HUB)
        domain = DOCKER_HUB;
    else if (/[.:]/.test(first))
        domain = first;
    else if (first.toLowerCase() !== first)
        domain = first;
    else {
        domain = DOCKER_HUB;
        rest = name;
    }
    if (domain === DOCKER_HUB && !rest.includes('/'))
        rest = OFFICIAL_PREFIX + rest;
    return [domain, rest];
}
function digestProblem(digest) {
    const colon = digest.indexOf(':');
    const algorithm = digest.slice(0, colon);
    const hex = digest.slice(colon + 1);
    const want = DIGEST_HEX_LENGTH[algorithm];
    if (want === undefined) {
        return `digest algorithm "${algorithm}" is not supported (use sha256, sha384 or sha512)`;
    }
    if (hex.length !== want) {
        return `${algorithm} digest has ${hex.length} hex characters, expected ${want}`;
    }
    if (!/^[a-f0-9]+$/.test(hex))
        return `${algorithm} digest must be lowercase hexadecimal`;
    return undefined;
}
// Says which part of `registry/remainder` breaks the grammar, so the error
// points at the tag, the digest, the host or the path component at fault.
function explain(full) {
    let rest = full;
    const at = rest.indexOf('@');
    if (at >= 0) {
        const digest = rest.slice(at + 1);
        if (!DIGEST_RE.test(digest)) {
            return `digest "${digest}" is not of the form algorithm:hex (e.g. sha256: and 64 hex characters)`;
        }
        rest = rest.slice(0, at);
    }
    const lastColon = rest.lastIndexOf(':');
    if (lastColon > rest.lastIndexOf('/')) {
        const tag = rest.slice(lastColon + 1);
        if (!TAG_RE.test(tag)) {
            return tag === ''
                ? 'the tag after ":" is empty'
                : `tag "${tag}" is invalid: up to 128 letters, digits, "_", "." and "-", not starting with "." or "-"`;
        }
        rest = rest.slice(0, lastColon);
    }
    const parts = rest.split('/');
    const [domain, ...path] = parts;
    if (!DOMAIN_RE.test(domain))
        return `registry host "${domain}" is not a valid host[:port]`;
    if (path.length === 0 || (path.length === 1 && path[0] === ''))
        return 'the repository name is empty';
    for (const c of path) {
        if (c === '')
            return 'the repository path has an empty component ("//" or a trailing "/")';
        if (!PATH_COMPONENT_RE.test(c)) {
            return `path component "${c}" is invalid: lowercase letters and digits, separated by ".", "_", "__" or dashes, starting and ending with a letter or digit`;
        }
    }
    return 'it is not of the form [host[:port]/]path[:tag][@digest]';
}


/***/ }),

/***/ 2011:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   G5: () => (/* binding */ timeAgainstBudget),
/* harmony export */   Hn: () => (/* binding */ cell),
/* harmony export */   KS: () => (/* binding */ gateTitle),
/* harmony export */   YY: () => (/* binding */ VERDICT_ICON)
/* harmony export */ });
/* unused harmony export VERDICT_WORD */
/* harmony import */ var _core_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8571);
/** Shared wording of verdicts for every renderer. */

const VERDICT_ICON = {
    pass: '✅',
    warn: '⚠️',
    fail: '❌',
    skip: '⏭️',
    inconclusive: '⏸️',
    cancelled: '🛑',
    error: '💥'
};
const VERDICT_WORD = {
    pass: 'pass',
    warn: 'warn',
    fail: 'FAIL',
    skip: 'skip',
    inconclusive: 'inconclusive',
    cancelled: 'cancelled',
    error: 'ERROR'
};
/** `1.2s / 10m` (time used against budget), or just the time. */
function timeAgainstBudget(durationMs, budgetMs) {
    if (!budgetMs)
        return (0,_core_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(durationMs);
    const over = durationMs > budgetMs ? ' (over budget)' : '';
    return `${(0,_core_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(durationMs)} / ${(0,_core_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(budgetMs)}${over}`;
}
/** The gate's title with its unit: `phase database`, `tracer edb-api`. */
function gateTitle(g) {
    return g.name ? `${g.gate} ${g.name}` : g.gate;
}
/** Escapes text for a Markdown table cell. */
function cell(text) {
    return text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}


/***/ }),

/***/ 311:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   x: () => (/* binding */ VERSION)
/* harmony export */ });
/** phase-gate's version, as reported in every report. Kept in step with package.json by a test. */
const VERSION = '0.1.0';


/***/ })

};
