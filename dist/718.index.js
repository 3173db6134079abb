export const id = 718;
export const ids = [718];
export const modules = {

/***/ 7718:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   post: () => (/* binding */ post)
/* harmony export */ });
/* unused harmony exports registerPostHook, finishInterruptedWork */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3218);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _core_clock_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2257);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4296);
/* harmony import */ var _core_secrets_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8198);
/* harmony import */ var _kube_client_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4229);
/* harmony import */ var _kube_lock_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(5766);
/* harmony import */ var _kube_state_record_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(8076);
/* harmony import */ var _kube_types_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(6384);
/* harmony import */ var _kube_undo_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(2511);
/* harmony import */ var _gates_tracer_js__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(5642);
/* harmony import */ var _kube_labels_js__WEBPACK_IMPORTED_MODULE_13__ = __webpack_require__(8550);
/* harmony import */ var _plan_loader_js__WEBPACK_IMPORTED_MODULE_11__ = __webpack_require__(3700);
/* harmony import */ var _names_js__WEBPACK_IMPORTED_MODULE_12__ = __webpack_require__(2814);
/**
 * The post step (post-if: always()): finishes what a cancelled or killed main
 * step left half done, from the state record in the cluster (tracer objects
 * of this run, phases interrupted while applying or rolling back), then
 * removes the temporary kubeconfig. It only ever warns.
 */














const hooks = [];
/** Registers a cleanup the post step runs. */
function registerPostHook(hook) {
    hooks.push(hook);
}
/** Removes the run's tracer objects and rolls back its interrupted phases, newest first. */
async function finishInterruptedWork(o) {
    const clock = o.clock ?? _core_clock_js__WEBPACK_IMPORTED_MODULE_2__/* .systemClock */ .m;
    const timeoutMs = o.timeoutMs ?? 120_000;
    const record = new _kube_state_record_js__WEBPACK_IMPORTED_MODULE_7__/* .StateRecord */ .l(o.cluster, o.plan, o.namespace);
    const out = { tracerObjectsRemoved: 0, phasesRolledBack: [], problems: [] };
    const problem = (text) => {
        out.problems.push(text);
        o.log.warn(text);
    };
    try {
        await finishFromRecord(o, record, out, problem, clock, timeoutMs);
    }
    finally {
        // The lock a killed main step held would block the next run until it expires;
        // freed last, so no other run starts while this one is being undone.
        try {
            const freed = await (0,_kube_lock_js__WEBPACK_IMPORTED_MODULE_6__/* .releaseStaleLock */ .my)(o.cluster, {
                namespace: o.namespace,
                plan: o.plan,
                holder: o.runId,
                token: o.lockToken,
                clock
            });
            if (freed)
                o.log.info(`post step: released the lock the interrupted run ${o.runId} held`);
        }
        catch (err) {
            o.log.debug(`post step: lock: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .errorMessage */ .gJ)(err)}`);
        }
    }
    return out;
}
async function finishFromRecord(o, record, out, problem, clock, timeoutMs) {
    const secret = await o.cluster.get({
        apiVersion: 'v1',
        kind: 'Secret',
        name: record.runSecretName(o.runId),
        namespace: o.namespace
    });
    if (!secret) {
        o.log.info(`post step: run ${o.runId} left no state record in ${o.namespace}; nothing to finish`);
        return;
    }
    const data = (secret.data ?? {});
    const decode = (key) => {
        try {
            return JSON.parse(Buffer.from(data[key], 'base64').toString('utf8'));
        }
        catch {
            problem(`post step: the state record's ${key} is unreadable; skipped`);
            return undefined;
        }
    };
    // Tracers: the kinds each one recorded before applying; the sweep finds this run's objects of those kinds.
    const kinds = new Map();
    for (const key of Object.keys(data).filter(k => k.startsWith('tracer.')))
        for (const r of decode(key)?.refs ?? [])
            kinds.set(`${r.apiVersion}/${r.kind}`, { apiVersion: r.apiVersion, kind: r.kind });
    if (kinds.size > 0) {
        // Tracers the plan marks `cleanup: false` keep their objects on purpose.
        const keep = new Set((o.keepTracers ?? []).map(_kube_labels_js__WEBPACK_IMPORTED_MODULE_13__/* .labelValue */ .w));
        const refs = [];
        for (const k of kinds.values()) {
            try {
                const { items } = await o.cluster.list(k.apiVersion, k.kind, {
                    namespace: o.namespace,
                    labelSelector: (0,_kube_labels_js__WEBPACK_IMPORTED_MODULE_13__/* .runSelector */ .fC)(o.plan, o.runId, 'tracer')
                });
                refs.push(...items.filter(i => !keep.has(i.metadata.labels?.[_kube_labels_js__WEBPACK_IMPORTED_MODULE_13__/* .LABEL_PHASE */ .lA] ?? '')).map(_kube_types_js__WEBPACK_IMPORTED_MODULE_8__/* .refOf */ .H8));
            }
            catch (err) {
                problem(`post step: cannot list ${k.kind} of run ${o.runId}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .errorMessage */ .gJ)(err)}`);
            }
        }
        if (refs.length > 0) {
            const swept = await (0,_gates_tracer_js__WEBPACK_IMPORTED_MODULE_10__/* .cleanupObjects */ .jN)(o.cluster, refs, { clock, log: o.log });
            if (swept.ok) {
                out.tracerObjectsRemoved = refs.length;
                o.log.info(`post step: removed ${refs.length} tracer object${refs.length === 1 ? '' : 's'} of run ${o.runId}: ${swept.message}`);
            }
            else
                problem(`post step: tracer objects of run ${o.runId} may remain: ${swept.message}`);
        }
    }
    // Phases left applying or rolling back: undo them as the phase's rollback would, newest first.
    const phases = Object.keys(data)
        .filter(k => k.startsWith('phase.'))
        .map(k => decode(k))
        .filter((r) => r !== undefined && (r.status === 'applying' || r.status === 'rolling-back'))
        .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    for (const rec of phases) {
        o.log.info(`post step: phase ${rec.phase} of run ${o.runId} was interrupted while ${rec.status === 'applying' ? 'applying or waiting' : 'rolling back'}; rolling it back from the state record`);
        rec.status = 'rolling-back';
        await record.writePhase(rec).catch(err => o.log.debug(`state record: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .errorMessage */ .gJ)(err)}`));
        const outcome = await (0,_kube_undo_js__WEBPACK_IMPORTED_MODULE_9__/* .undoApplied */ ._)(o.cluster, rec.objects, { timeoutMs, clock });
        rec.status = outcome.ok ? 'rolled-back' : 'failed';
        rec.finishedAt = new Date(clock.now()).toISOString();
        await record.writePhase(rec).catch(err => o.log.debug(`state record: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .errorMessage */ .gJ)(err)}`));
        if (outcome.ok) {
            out.phasesRolledBack.push(rec.phase);
            const kept = outcome.steps
                .filter(s => s.action === 'keep')
                .map(s => `${s.ref.kind} ${s.ref.name}`);
            o.log.info(`post step: phase ${rec.phase} rolled back: ${outcome.verifyMessage}${kept.length ? `; kept ${kept.join(', ')}` : ''}`);
        }
        else {
            problem(`post step: phase ${rec.phase} of run ${o.runId} could not be rolled back completely: ${[...outcome.steps.filter(s => !s.ok).map(s => s.message), outcome.verified ? '' : outcome.verifyMessage].filter(Boolean).join('; ')}; the state record keeps what it applied (re-run the phase's rollback)`);
        }
    }
    if (phases.length > 0)
        await record
            .transition(out.phasesRolledBack.length === phases.length ? 'previous-stable' : 'failed', o.runId, `post step: interrupted phase${phases.length === 1 ? '' : 's'} ${phases.map(p => p.phase).join(', ')} rolled back`)
            .catch(err => o.log.debug(`state record: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .errorMessage */ .gJ)(err)}`));
}
const actionLog = {
    debug: m => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz((0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_4__/* .redact */ .E$)(m)),
    info: m => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq((0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_4__/* .redact */ .E$)(m)),
    warn: m => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e((0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_4__/* .redact */ .E$)(m)),
    error: m => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e((0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_4__/* .redact */ .E$)(m))
};
/** Finishes interrupted work of the main step's run, as far as the saved state tells which. */
async function finishFromState(state) {
    const runId = state(_names_js__WEBPACK_IMPORTED_MODULE_12__/* .STATE */ .c4.runId);
    const planPath = state(_names_js__WEBPACK_IMPORTED_MODULE_12__/* .STATE */ .c4.planPath);
    if (!runId || !planPath)
        return;
    // The main step saves plan and namespace only when it finishes; a killed one left the plan's path.
    const loaded = await (0,_plan_loader_js__WEBPACK_IMPORTED_MODULE_11__/* .loadPlan */ .Yq)(planPath, {
        workspace: process.env.GITHUB_WORKSPACE ?? process.cwd()
    });
    const plan = state(_names_js__WEBPACK_IMPORTED_MODULE_12__/* .STATE */ .c4.plan) || loaded.plan.name;
    const namespace = state(_names_js__WEBPACK_IMPORTED_MODULE_12__/* .STATE */ .c4.namespace) || _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getInput */ .V4(_names_js__WEBPACK_IMPORTED_MODULE_12__/* .INPUT */ .bO.namespace).trim() || loaded.plan.target.namespace;
    const context = state(_names_js__WEBPACK_IMPORTED_MODULE_12__/* .STATE */ .c4.context) || _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getInput */ .V4(_names_js__WEBPACK_IMPORTED_MODULE_12__/* .INPUT */ .bO.context).trim() || loaded.plan.target.context;
    const keepTracers = (loaded.plan.tracers ?? []).filter(t => t.cleanup === false).map(t => t.name);
    const kubeconfigPath = state(_names_js__WEBPACK_IMPORTED_MODULE_12__/* .STATE */ .c4.kubeconfigPath) || undefined;
    const cluster = await (0,_kube_client_js__WEBPACK_IMPORTED_MODULE_5__/* .connectCluster */ .bp)({ kubeconfigPath, context });
    try {
        await finishInterruptedWork({ cluster, plan, namespace, runId, log: actionLog, keepTracers });
    }
    finally {
        cluster.close();
    }
}
/** The post step. */
async function post() {
    const state = (name) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(name);
    for (const hook of [finishFromState, ...hooks]) {
        try {
            await hook(state);
        }
        catch (err) {
            const problems = err instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .UsageError */ .eb ? err.problems.map(p => `\n  ${p}`).join('') : '';
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e((0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_4__/* .redact */ .E$)(`post-step cleanup: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .errorMessage */ .gJ)(err)}${problems}`));
        }
    }
    const dir = state(_names_js__WEBPACK_IMPORTED_MODULE_12__/* .STATE */ .c4.tempDir);
    if (dir) {
        try {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(dir, { recursive: true, force: true });
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq('removed the temporary kubeconfig');
        }
        catch (err) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e((0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_4__/* .redact */ .E$)(`could not remove ${dir}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .errorMessage */ .gJ)(err)}`));
        }
    }
}


/***/ })

};
