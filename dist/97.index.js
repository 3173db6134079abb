export const id = 97;
export const ids = [97];
export const modules = {

/***/ 6097:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  post: () => (/* binding */ post)
});

// UNUSED EXPORTS: finishInterruptedWork, registerPostHook

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 20 modules
var core = __webpack_require__(3218);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./src/core/clock.ts
var core_clock = __webpack_require__(2257);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/core/exec.ts
var exec = __webpack_require__(2642);
// EXTERNAL MODULE: ./src/core/secrets.ts
var secrets = __webpack_require__(8198);
// EXTERNAL MODULE: ./src/kube/client.ts + 2 modules
var client = __webpack_require__(5297);
// EXTERNAL MODULE: ./src/kube/lock.ts
var lock = __webpack_require__(5766);
// EXTERNAL MODULE: ./src/lifecycle/record.ts + 1 modules
var lifecycle_record = __webpack_require__(4436);
// EXTERNAL MODULE: ./src/kube/types.ts
var types = __webpack_require__(6384);
// EXTERNAL MODULE: ./src/kube/undo.ts
var undo = __webpack_require__(2511);
// EXTERNAL MODULE: ./src/helm/helm.ts
var helm_helm = __webpack_require__(4910);
// EXTERNAL MODULE: ./src/kube/wait.ts
var wait = __webpack_require__(8368);
// EXTERNAL MODULE: ./src/helm/release.ts
var helm_release = __webpack_require__(9777);
;// CONCATENATED MODULE: ./src/helm/interrupted.ts
/**
 * A Helm phase a killed run left applying or rolling back, finished by the
 * post step as the phase's own rollback would: the release goes back to the
 * revision it was on before the phase (a first install is uninstalled),
 * verified. A release helm left pending (the upgrade or rollback was killed
 * in flight) is not touched: helm refuses other operations on it and only a
 * person can tell whether one still runs, so it is reported with the command
 * that frees it.
 */




/** Takes an interrupted Helm phase's release back to where the state record says it was. */
async function finishInterruptedRelease(helm, cluster, rel, opts) {
    const { release, namespace, revisionBefore } = rel;
    const deadline = opts.clock.now() + opts.timeoutMs;
    const undoCommand = revisionBefore !== undefined
        ? `helm rollback ${release} ${revisionBefore} --namespace ${namespace}`
        : `helm uninstall ${release} --namespace ${namespace}`;
    let history;
    try {
        history = await helm.history(release);
    }
    catch (err) {
        return {
            outcome: 'failed',
            message: `cannot read the history of release ${release}: ${(0,errors/* errorMessage */.gJ)(err)}`,
            command: undoCommand
        };
    }
    const stuck = (0,helm_helm/* stuckReleaseAdvice */.a_)(release, namespace, history);
    if (stuck)
        return { outcome: 'stuck', message: stuck.message, command: stuck.command };
    const latest = (0,helm_helm/* latestRevision */.HA)(history);
    if (!latest)
        return revisionBefore === undefined
            ? { outcome: 'unchanged', message: `release ${release} was never installed; nothing to undo` }
            : {
                outcome: 'failed',
                message: `release ${release} is gone, though it was on revision ${revisionBefore} before the phase`
            };
    if (latest.revision === revisionBefore)
        return {
            outcome: 'unchanged',
            message: `release ${release} is still on revision ${revisionBefore}; helm made no revision to undo`
        };
    if (revisionBefore !== undefined) {
        const r = await (0,helm_release/* rollbackRelease */.w6)(helm, cluster, release, {
            to: revisionBefore,
            deadline,
            clock: opts.clock
        });
        return r.ok
            ? { outcome: 'restored', message: r.message }
            : { outcome: 'failed', message: r.message, command: undoCommand };
    }
    // A first install has no earlier revision: the release goes, and what it created with it.
    try {
        const manifest = await helm.manifest(release).catch(() => '');
        const refs = manifest ? (0,helm_release/* refsOf */.gA)(await (0,helm_release/* manifestObjects */.wh)(cluster, manifest, namespace)) : [];
        await helm.uninstall(release, Math.max(1000, deadline - opts.clock.now()));
        const gone = refs.length
            ? await (0,wait/* waitForGone */.iY)(cluster, refs, {
                timeoutMs: Math.max(0, deadline - opts.clock.now()),
                clock: opts.clock
            })
            : undefined;
        return !gone || gone.result === 'done'
            ? {
                outcome: 'restored',
                message: `release ${release} uninstalled (a first install); ${refs.length} objects gone`
            }
            : {
                outcome: 'failed',
                message: `release ${release} uninstalled, but ${gone.message}`,
                command: undoCommand
            };
    }
    catch (err) {
        return { outcome: 'failed', message: (0,errors/* errorMessage */.gJ)(err), command: undoCommand };
    }
}

// EXTERNAL MODULE: ./src/gates/tracer.ts + 1 modules
var tracer = __webpack_require__(5642);
// EXTERNAL MODULE: ./src/kube/labels.ts
var labels = __webpack_require__(8550);
// EXTERNAL MODULE: ./src/plan/loader.ts
var loader = __webpack_require__(3700);
// EXTERNAL MODULE: ./src/action/names.ts
var names = __webpack_require__(2814);
;// CONCATENATED MODULE: ./src/action/post.ts
/**
 * The post step (post-if: always()): finishes what a cancelled or killed main
 * step left half done, from the state record in the cluster (tracer objects
 * of this run, phases interrupted while applying or rolling back; a Helm
 * phase's release through helm, or reported with the command that frees it
 * when helm left it pending), then removes the temporary kubeconfig. It
 * only ever warns.
 */

















const hooks = [];
/** Registers a cleanup the post step runs. */
function registerPostHook(hook) {
    hooks.push(hook);
}
/** Removes the run's tracer objects and rolls back its interrupted phases, newest first. */
async function finishInterruptedWork(o) {
    const clock = o.clock ?? core_clock/* systemClock */.m;
    const timeoutMs = o.timeoutMs ?? 120_000;
    const record = new lifecycle_record/* StateRecord */.l(o.cluster, o.plan, o.namespace);
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
            const freed = await (0,lock/* releaseStaleLock */.my)(o.cluster, {
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
            o.log.debug(`post step: lock: ${(0,errors/* errorMessage */.gJ)(err)}`);
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
        const keep = new Set((o.keepTracers ?? []).map(labels/* labelValue */.w));
        const refs = [];
        for (const k of kinds.values()) {
            try {
                const { items } = await o.cluster.list(k.apiVersion, k.kind, {
                    namespace: o.namespace,
                    labelSelector: (0,labels/* runSelector */.fC)(o.plan, o.runId, 'tracer')
                });
                refs.push(...items.filter(i => !keep.has(i.metadata.labels?.[labels/* LABEL_PHASE */.lA] ?? '')).map(types/* refOf */.H8));
            }
            catch (err) {
                problem(`post step: cannot list ${k.kind} of run ${o.runId}: ${(0,errors/* errorMessage */.gJ)(err)}`);
            }
        }
        if (refs.length > 0) {
            const swept = await (0,tracer/* cleanupObjects */.jN)(o.cluster, refs, { clock, log: o.log });
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
        await record.writePhase(rec).catch(err => o.log.debug(`state record: ${(0,errors/* errorMessage */.gJ)(err)}`));
        if (rec.helm) {
            // A release is undone by helm: restoring its objects one by one would leave helm's record on the new revision.
            await finishHelmPhase(o, record, rec, out, problem, clock, timeoutMs);
            continue;
        }
        const outcome = await (0,undo/* undoApplied */._E)(o.cluster, rec.objects, { timeoutMs, clock });
        rec.status = outcome.ok ? 'rolled-back' : 'failed';
        rec.finishedAt = new Date(clock.now()).toISOString();
        await record.writePhase(rec).catch(err => o.log.debug(`state record: ${(0,errors/* errorMessage */.gJ)(err)}`));
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
            .catch(err => o.log.debug(`state record: ${(0,errors/* errorMessage */.gJ)(err)}`));
}
async function finishHelmPhase(o, record, rec, out, problem, clock, timeoutMs) {
    const rel = rec.helm;
    const r = o.helm
        ? await finishInterruptedRelease(o.helm(rel.namespace), o.cluster, rel, { timeoutMs, clock })
        : {
            outcome: 'failed',
            message: 'no helm to finish it with',
            command: rel.revisionBefore !== undefined
                ? `helm rollback ${rel.release} ${rel.revisionBefore} --namespace ${rel.namespace}`
                : `helm uninstall ${rel.release} --namespace ${rel.namespace}`
        };
    const ok = r.outcome === 'restored' || r.outcome === 'unchanged';
    rec.status = ok ? 'rolled-back' : 'failed';
    rec.finishedAt = new Date(clock.now()).toISOString();
    await record.writePhase(rec).catch(err => o.log.debug(`state record: ${(0,errors/* errorMessage */.gJ)(err)}`));
    if (ok) {
        out.phasesRolledBack.push(rec.phase);
        o.log.info(`post step: phase ${rec.phase} rolled back: ${r.message}`);
    }
    else if (r.outcome === 'stuck')
        problem(`post step: phase ${rec.phase} of run ${o.runId} was interrupted inside helm: ${r.message}; free it with: ${r.command}`);
    else
        problem(`post step: phase ${rec.phase} of run ${o.runId} could not be rolled back: ${r.message}${r.command ? `; finish it with: ${r.command}` : ''}`);
}
const actionLog = {
    debug: m => core/* debug */.Yz((0,secrets/* redact */.E$)(m)),
    info: m => core/* info */.pq((0,secrets/* redact */.E$)(m)),
    warn: m => core/* warning */.$e((0,secrets/* redact */.E$)(m)),
    error: m => core/* warning */.$e((0,secrets/* redact */.E$)(m))
};
/** Finishes interrupted work of the main step's run, as far as the saved state tells which. */
async function finishFromState(state) {
    const runId = state(names/* STATE */.c4.runId);
    const planPath = state(names/* STATE */.c4.planPath);
    if (!runId || !planPath)
        return;
    // The main step saves plan and namespace only when it finishes; a killed one left the plan's path.
    const loaded = await (0,loader/* loadPlan */.Yq)(planPath, {
        workspace: process.env.GITHUB_WORKSPACE ?? process.cwd()
    });
    const plan = state(names/* STATE */.c4.plan) || loaded.plan.name;
    const namespace = state(names/* STATE */.c4.namespace) || core/* getInput */.V4(names/* INPUT */.bO.namespace).trim() || loaded.plan.target.namespace;
    const context = state(names/* STATE */.c4.context) || core/* getInput */.V4(names/* INPUT */.bO.context).trim() || loaded.plan.target.context;
    const keepTracers = (loaded.plan.tracers ?? []).filter(t => t.cleanup === false).map(t => t.name);
    const kubeconfigPath = state(names/* STATE */.c4.kubeconfigPath) || undefined;
    const cluster = await (0,client/* connectCluster */.bp)({ kubeconfigPath, context });
    try {
        await finishInterruptedWork({
            cluster,
            plan,
            namespace,
            runId,
            log: actionLog,
            keepTracers,
            helm: ns => new helm_helm/* Helm */.f5({ exec: exec/* processExec */.l, namespace: ns, kubeconfig: kubeconfigPath, context })
        });
    }
    finally {
        cluster.close();
    }
}
/** The post step. */
async function post() {
    const state = (name) => core/* getState */.Gu(name);
    for (const hook of [finishFromState, ...hooks]) {
        try {
            await hook(state);
        }
        catch (err) {
            const problems = err instanceof errors/* UsageError */.eb ? err.problems.map(p => `\n  ${p}`).join('') : '';
            core/* warning */.$e((0,secrets/* redact */.E$)(`post-step cleanup: ${(0,errors/* errorMessage */.gJ)(err)}${problems}`));
        }
    }
    const dir = state(names/* STATE */.c4.tempDir);
    if (dir) {
        try {
            await (0,promises_.rm)(dir, { recursive: true, force: true });
            core/* info */.pq('removed the temporary kubeconfig');
        }
        catch (err) {
            core/* warning */.$e((0,secrets/* redact */.E$)(`could not remove ${dir}: ${(0,errors/* errorMessage */.gJ)(err)}`));
        }
    }
}


/***/ })

};
