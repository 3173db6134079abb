export const id = 651;
export const ids = [651];
export const modules = {

/***/ 6651:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runHelmPhase: () => (/* binding */ runHelmPhase)
});

// UNUSED EXPORTS: helmRunLabels, resolveChart, rollbackHelmPhase

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./src/checks/result.ts
var result = __webpack_require__(7076);
// EXTERNAL MODULE: ./src/checks/validation.ts
var validation = __webpack_require__(1646);
// EXTERNAL MODULE: ./src/checks/builtin.ts + 10 modules
var builtin = __webpack_require__(3217);
// EXTERNAL MODULE: ./src/core/duration.ts
var duration = __webpack_require__(8571);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: ./src/helm/helm.ts
var helm_helm = __webpack_require__(4910);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
;// CONCATENATED MODULE: ./src/helm/post-renderer.ts
/**
 * The post-renderer that gives a Helm release's objects the run's labels.
 * Labels go on each object's metadata only (items of a `List` included),
 * never on pod templates or selectors, so a run never restarts pods.
 *
 * Helm runs a post-renderer as a program that reads the rendered manifests
 * on stdin and writes them on stdout. Ours is a tiny script that hands the
 * manifests over a Unix socket in a private temp directory to the process
 * that runs helm, where `addLabelsToManifests` edits them with the YAML
 * library: no network listener, nothing to install, and the same code in
 * the bundle as in the tests.
 */






/** The manifests with `labels` set on every object's metadata (and nowhere else). */
function addLabelsToManifests(text, labels) {
    const docs = (0,dist/* parseAllDocuments */.hR)(text);
    const list = Array.isArray(docs) ? docs : [docs];
    const out = [];
    for (const doc of list) {
        if (doc.errors.length)
            throw new Error(`the rendered manifests are not valid YAML: ${doc.errors[0].message}`);
        if (doc.contents === null)
            continue;
        const items = doc.getIn(['items']);
        const kind = doc.getIn(['kind']);
        // A List is no object of its own: its items get the labels.
        if (typeof kind === 'string' && kind.endsWith('List') && (0,dist/* isSeq */.oP)(items))
            items.items.forEach((_, i) => label(doc, ['items', i], labels));
        else
            label(doc, [], labels);
        out.push(doc.toString({ lineWidth: 0 }));
    }
    return out.map(d => (d.startsWith('---') ? d : `---\n${d}`)).join('');
}
function label(doc, at, labels) {
    const node = at.length ? doc.getIn(at) : doc.contents;
    if (!(0,dist/* isMap */.jh)(node) || !node.has('kind') || !node.has('apiVersion'))
        return;
    const meta = doc.getIn([...at, 'metadata'], true);
    if (meta === undefined || meta === null || !(0,dist/* isMap */.jh)(meta))
        doc.setIn([...at, 'metadata'], doc.createNode({}));
    const current = doc.getIn([...at, 'metadata', 'labels'], true);
    if (current === undefined || current === null || !(0,dist/* isMap */.jh)(current))
        doc.setIn([...at, 'metadata', 'labels'], doc.createNode({}));
    for (const [k, v] of Object.entries(labels))
        doc.setIn([...at, 'metadata', 'labels', k], v);
}
// The script helm runs: stdin to the socket, the answer to stdout, failures to stderr and exit 1.
const SCRIPT = `import http from 'node:http'
const chunks = []
for await (const c of process.stdin) chunks.push(c)
const req = http.request({ socketPath: process.argv[2], method: 'POST', path: '/render' }, res => {
  const out = []
  res.on('data', d => out.push(d))
  res.on('end', () => {
    const body = Buffer.concat(out)
    if (res.statusCode !== 200) {
      process.stderr.write('phase-gate post-renderer: ' + body.toString() + '\\n')
      process.exit(1)
    }
    process.stdout.write(body)
  })
})
req.on('error', e => {
  process.stderr.write('phase-gate post-renderer: ' + e.message + '\\n')
  process.exit(1)
})
req.end(Buffer.concat(chunks))
`;
/** Starts a post-renderer that adds `labels` (close it after helm is done). */
async function startPostRenderer(labels, opts = {}) {
    const dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)(opts.dir ?? (0,external_node_os_.tmpdir)(), 'phase-gate-helm-'));
    await (0,promises_.chmod)(dir, 0o700);
    const script = (0,external_node_path_.join)(dir, 'post-render.mjs');
    const socket = (0,external_node_path_.join)(dir, 'render.sock');
    await (0,promises_.writeFile)(script, SCRIPT, { mode: 0o600 });
    let rendered = 0;
    const server = external_node_http_default().createServer((req, res) => {
        const chunks = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
            try {
                const out = addLabelsToManifests(Buffer.concat(chunks).toString('utf8'), labels);
                rendered++;
                res.writeHead(200, { 'Content-Type': 'application/yaml' });
                res.end(out);
            }
            catch (err) {
                res.writeHead(500);
                res.end((0,errors/* errorMessage */.gJ)(err));
            }
        });
    });
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(socket, () => resolve());
    });
    return {
        executable: opts.node ?? process.execPath,
        args: [script, socket],
        get rendered() {
            return rendered;
        },
        async close() {
            await new Promise(resolve => server.close(() => resolve()));
            await (0,promises_.rm)(dir, { recursive: true, force: true });
        }
    };
}

// EXTERNAL MODULE: ./src/helm/release.ts
var helm_release = __webpack_require__(9777);
// EXTERNAL MODULE: ./src/kube/apply.ts
var apply = __webpack_require__(9501);
// EXTERNAL MODULE: ./src/kube/labels.ts
var labels = __webpack_require__(8550);
// EXTERNAL MODULE: ./src/kube/state-record.ts
var state_record = __webpack_require__(8076);
// EXTERNAL MODULE: ./src/kube/wait.ts
var wait = __webpack_require__(8368);
// EXTERNAL MODULE: ./src/plan/budgets.ts
var budgets = __webpack_require__(6817);
// EXTERNAL MODULE: ./src/report/model.ts
var model = __webpack_require__(6867);
// EXTERNAL MODULE: ./src/gates/phase.ts
var gates_phase = __webpack_require__(179);
;// CONCATENATED MODULE: ./src/gates/helm-phase.ts
/**
 * Helm phases: `helm upgrade --install` under our own gate. Helm applies
 * (without `--wait`); readiness is ours: the revision's manifest
 * (`helm get manifest`) is waited on with kstatus and fail-fast within the
 * phase timeout, then the phase's validation checks run. On failure the
 * release goes back with `helm rollback` to the revision it was on (a first
 * install is uninstalled) within the rollback's own budget, verified by the
 * revision and chart it ends on and its objects being Current. Run labels
 * reach the objects' metadata through our post-renderer. The phase record
 * keeps `helm: {release, revisionBefore, revisionAfter}` and the objects'
 * state before the upgrade, and the report carries the release history. A
 * release another helm operation left pending is reported with the command
 * that frees it, and nothing is attempted.
 */



















/** A chart path relative to the plan when it exists there; otherwise the reference as written (repo/chart, oci://). */
async function resolveChart(loaded, chart) {
    if (/^[a-z]+:\/\//.test(chart))
        return chart;
    const local = (0,external_node_path_.resolve)(loaded.dir, chart);
    return (0,promises_.stat)(local).then(() => local, () => chart);
}
/** The labels the post-renderer puts on the release's objects (metadata only; managed-by stays Helm's). */
function helmRunLabels(plan, runId, phase) {
    return {
        [labels/* LABEL_PLAN */.LJ]: (0,labels/* labelValue */.w)(plan),
        [labels/* LABEL_RUN */.Bt]: (0,labels/* labelValue */.w)(runId),
        [labels/* LABEL_ROLE */.os]: 'phase',
        [labels/* LABEL_PHASE */.lA]: (0,labels/* labelValue */.w)(phase)
    };
}
function helmFor(ctx, namespace, signal) {
    return new helm_helm/* Helm */.f5({
        exec: ctx.exec,
        namespace,
        kubeconfig: ctx.settings.kubeconfig.kind === 'path' ? ctx.settings.kubeconfig.path : undefined,
        context: ctx.settings.context ?? ctx.loaded.plan.target.context,
        signal
    });
}
/** Writes the plan's inline values to a private temp file; returns every values file in order. */
async function valuesFiles(ctx, spec, dir) {
    const files = (spec.valuesFiles ?? []).map(f => (0,external_node_path_.resolve)(ctx.loaded.dir, f));
    if (spec.values && Object.keys(spec.values).length) {
        const file = (0,external_node_path_.join)(dir, 'values.yaml');
        await (0,promises_.writeFile)(file, (0,dist/* stringify */.As)(spec.values), { mode: 0o600 });
        // Inline values come last, so they win over the files, as later -f files do.
        files.push(file);
    }
    return files;
}
/** Runs a phase that deploys a Helm chart. */
async function runHelmPhase(ctx, phase, index) {
    const spec = phase.helm;
    const started = ctx.clock.now();
    const location = ctx.loaded.locate(['phases', index, 'helm']);
    const budget = (0,duration/* durationMs */.pc)(phase.budget, (0,budgets/* budgetMs */.OU)(ctx.loaded.plan, 'phase', { phase }));
    const timeoutMs = Math.min((0,duration/* durationMs */.pc)(phase.timeout, budget), budget);
    const deadline = started + timeoutMs;
    const namespace = spec.namespace ?? ctx.namespace;
    const release = spec.release;
    const checks = [];
    const notes = [];
    const details = {
        release,
        namespace,
        chart: spec.chart,
        version: spec.version
    };
    const done = () => (0,model/* gateResult */.xp)('phase', started, checks, {
        now: ctx.clock.now(),
        name: phase.name,
        budgetMs: budget,
        notes: notes.length ? notes : undefined,
        details,
        ...(ctx.signal.aborted ? { verdict: 'cancelled' } : {})
    });
    const warnState = (err) => ctx.log.warn(`state record: ${(0,errors/* errorMessage */.gJ)(err)}`);
    const cluster = await ctx.cluster();
    const helm = helmFor(ctx, namespace, ctx.signal);
    const chart = await resolveChart(ctx.loaded, spec.chart);
    const before = await helm.history(release);
    details.historyBefore = (0,helm_helm/* historyRows */.U4)(before);
    const stuck = (0,helm_helm/* stuckReleaseAdvice */.a_)(release, namespace, before);
    if (stuck) {
        checks.push((0,result/* checkResult */.iJ)('helm', release, {
            verdict: 'fail',
            message: stuck.message,
            adjustment: `free it, then run the phase again: ${stuck.command}`,
            data: { command: stuck.command, history: (0,helm_helm/* historyRows */.U4)(before) },
            location
        }));
        return done();
    }
    const deployedBefore = [...before].reverse().find(h => h.status === 'deployed');
    const revisionBefore = deployedBefore?.revision;
    const tmp = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'phase-gate-values-'));
    await (0,promises_.chmod)(tmp, 0o700);
    try {
        const values = await valuesFiles(ctx, spec, tmp);
        // What the upgrade will touch, rendered first: its live state is recorded before anything changes.
        let objects = [];
        try {
            const rendered = await helm.template(release, chart, {
                version: spec.version,
                valuesFiles: values
            });
            objects = await (0,apply/* snapshot */.P9)(cluster, await (0,helm_release/* manifestObjects */.wh)(cluster, rendered, namespace, `${release} (helm template)`));
        }
        catch (err) {
            checks.push((0,result/* checkResult */.iJ)('helm', release, {
                verdict: 'fail',
                message: `the chart does not render: ${(0,errors/* errorMessage */.gJ)(err)}`,
                evidence: err instanceof helm_helm/* HelmError */.t2 ? err.result.stderr.slice(-2000) : undefined,
                adjustment: 'fix the chart or its values; nothing was changed',
                location
            }));
            return done();
        }
        if (ctx.settings.dryRun) {
            try {
                await helm.upgradeInstall(release, chart, {
                    version: spec.version,
                    valuesFiles: values,
                    timeoutMs,
                    dryRun: true
                });
                checks.push((0,result/* checkResult */.iJ)('helm', release, {
                    verdict: 'pass',
                    message: `dry run: the server accepts release ${release} (${objects.length} objects)`,
                    location
                }));
            }
            catch (err) {
                checks.push((0,result/* checkResult */.iJ)('helm', release, { verdict: 'fail', message: (0,errors/* errorMessage */.gJ)(err), location }));
            }
            return done();
        }
        const record = new state_record/* StateRecord */.l(cluster, ctx.loaded.plan.name, ctx.namespace, ctx.loaded.plan.state?.keepRuns);
        const rec = {
            phase: phase.name,
            runId: ctx.runId,
            status: 'applying',
            startedAt: new Date(started).toISOString(),
            objects,
            helm: { release, namespace, revisionBefore }
        };
        await record.writePhase(rec);
        await (0,gates_phase/* markPackaged */.MT)(ctx, record, `phase ${phase.name}: chart ${spec.chart}${spec.version ? ` ${spec.version}` : ''} rendered (helm template, ${objects.length} objects)`, notes);
        await record
            .transition('deploying', ctx.runId, `phase ${phase.name} (helm ${release})`)
            .catch(warnState);
        const fail = async (why) => {
            checks.push(...(await rollbackHelmPhase(ctx, cluster, phase, index, rec, record, why)));
            const after = await helmFor(ctx, namespace)
                .history(release)
                .catch(() => []);
            details.history = (0,helm_helm/* historyRows */.U4)(after);
            notes.push(ctx.signal.aborted
                ? `cancelled: release ${release} was rolled back`
                : `phase ${phase.name} failed (${why}) and release ${release} was rolled back`);
            return done();
        };
        ctx.progress({ gate: 'phase', activity: `${phase.name}: helm upgrade --install ${release}` });
        const renderer = await startPostRenderer(helmRunLabels(ctx.loaded.plan.name, ctx.runId, phase.name));
        let upgradeError;
        const upgradeStarted = ctx.clock.now();
        try {
            await helm.upgradeInstall(release, chart, {
                version: spec.version,
                valuesFiles: values,
                postRenderer: { executable: renderer.executable, args: renderer.args },
                timeoutMs: Math.max(1000, deadline - ctx.clock.now())
            });
        }
        catch (err) {
            upgradeError = err;
        }
        finally {
            await renderer.close();
        }
        // Without the cancellation signal: a cancelled upgrade may have left a revision to undo.
        const afterUpgrade = await helmFor(ctx, namespace)
            .history(release)
            .catch(() => []);
        const latest = (0,helm_helm/* latestRevision */.HA)(afterUpgrade);
        if (latest && latest.revision !== revisionBefore)
            rec.helm = { release, namespace, revisionBefore, revisionAfter: latest.revision };
        await record.writePhase(rec).catch(warnState);
        details.revisionBefore = revisionBefore;
        details.revisionAfter = rec.helm?.revisionAfter;
        if (upgradeError) {
            checks.push((0,result/* checkResult */.iJ)('helm', release, {
                verdict: ctx.signal.aborted ? 'cancelled' : 'fail',
                message: (0,errors/* errorMessage */.gJ)(upgradeError),
                evidence: upgradeError instanceof helm_helm/* HelmError */.t2 ? upgradeError.result.stderr.slice(-2000) : undefined,
                location
            }));
            // Nothing to undo when helm made no new revision.
            if (!rec.helm?.revisionAfter) {
                details.history = (0,helm_helm/* historyRows */.U4)(afterUpgrade);
                return done();
            }
            return fail('helm upgrade failed');
        }
        const revisionAfter = rec.helm?.revisionAfter ?? latest?.revision;
        checks.push((0,result/* checkResult */.iJ)('helm', release, {
            verdict: 'pass',
            message: `release ${release} ${revisionBefore === undefined ? 'installed' : `upgraded from revision ${revisionBefore}`} to revision ${revisionAfter} (${latest?.chart ?? spec.chart}) in ${(0,duration/* formatDuration */.a3)(ctx.clock.now() - upgradeStarted)}; run labels added by the post-renderer (${renderer.rendered} render${renderer.rendered === 1 ? '' : 's'})`,
            data: {
                revisionBefore,
                revisionAfter,
                chart: latest?.chart,
                appVersion: latest?.app_version
            },
            location
        }));
        if (ctx.signal.aborted)
            return fail('cancelled after the upgrade');
        ctx.progress({
            gate: 'phase',
            activity: `${phase.name}: waiting for release ${release} revision ${revisionAfter}`
        });
        const waited = await (0,helm_release/* waitForRevision */.gM)(helm, cluster, release, revisionAfter, {
            timeoutMs: Math.max(0, deadline - ctx.clock.now()),
            clock: ctx.clock,
            signal: ctx.signal
        });
        details.objects = waited.refs.length;
        if (waited.outcome.result !== 'done') {
            const o = waited.outcome;
            const culprit = o.failure?.ref ?? o.objects.find(x => x.state !== 'done')?.ref;
            checks.push((0,result/* checkResult */.iJ)('ready', culprit
                ? `${culprit.kind} ${culprit.namespace ? `${culprit.namespace}/` : ''}${culprit.name}`
                : release, {
                verdict: o.result === 'cancelled' ? 'cancelled' : o.result === 'error' ? 'error' : 'fail',
                message: o.message,
                evidence: waited.evidence,
                adjustment: o.result === 'timeout'
                    ? `still progressing after ${(0,duration/* formatDuration */.a3)(timeoutMs)}: raise the phase timeout, or fix what the evidence shows`
                    : 'fix what the evidence shows, then re-run the phase',
                location
            }));
            return fail(o.result === 'cancelled' ? 'cancelled while waiting' : (o.failure?.reason ?? o.result));
        }
        checks.push((0,result/* checkResult */.iJ)('ready', phase.name, {
            verdict: 'pass',
            message: `all ${waited.refs.length} objects of revision ${revisionAfter} ready in ${(0,duration/* formatDuration */.a3)(waited.outcome.durationMs)}`,
            location
        }));
        if (phase.validate?.length) {
            ctx.progress({
                gate: 'phase',
                activity: `${phase.name}: ${phase.validate.length} validation checks`
            });
            const live = await Promise.all(waited.refs.map(r => cluster.get(r).catch(() => undefined)));
            const results = await (0,validation/* runValidations */.s8)(phase.validate, { ...ctx, applied: live.filter(o => o !== undefined), deadline }, ['phases', index, 'validate']);
            checks.push(...results);
            if (ctx.signal.aborted)
                return fail('cancelled while validating');
            if (!results.every(r => (0,model/* isPassing */.WG)(r.verdict)))
                return fail('validation failed');
        }
        rec.status = 'applied';
        rec.finishedAt = new Date(ctx.clock.now()).toISOString();
        await record.writePhase(rec);
        await record
            .updateIndex(ix => {
            const run = ix.runs.find(r => r.runId === ctx.runId);
            if (run) {
                if (!run.phases.includes(phase.name))
                    run.phases.push(phase.name);
            }
            else
                ix.runs.push({
                    runId: ctx.runId,
                    startedAt: new Date(started).toISOString(),
                    phases: [phase.name]
                });
        })
            .catch(warnState);
        details.history = (0,helm_helm/* historyRows */.U4)(await helm.history(release).catch(() => afterUpgrade));
        return done();
    }
    finally {
        await (0,promises_.rm)(tmp, { recursive: true, force: true });
    }
}
/** A Helm phase's rollback (default `helm rollback` to the revision before), within its own budget. */
async function rollbackHelmPhase(ctx, cluster, phase, index, rec, record, why) {
    const spec = phase.helm;
    const namespace = rec.helm?.namespace ?? spec.namespace ?? ctx.namespace;
    const actions = phase.rollback?.length ? phase.rollback : [{ helm: 'rollback' }];
    const budget = (0,budgets/* rollbackBudgetMs */.Uz)(ctx.loaded.plan, phase);
    const started = ctx.clock.now();
    const deadline = started + budget;
    // No cancellation signal: a cancelled phase must still be rolled back.
    const helm = helmFor(ctx, namespace);
    const results = [];
    rec.status = 'rolling-back';
    await record.writePhase(rec).catch(err => ctx.log.warn(`state record: ${(0,errors/* errorMessage */.gJ)(err)}`));
    ctx.progress({
        gate: 'phase',
        activity: `${phase.name}: rolling back release ${spec.release} (${why})`
    });
    for (const [i, action] of actions.entries()) {
        const location = ctx.loaded.locate(['phases', index, 'rollback', i]);
        if ('command' in action) {
            const r = await ctx.exec.run(action.command.run, {
                shell: action.command.shell,
                cwd: ctx.loaded.dir,
                timeoutMs: Math.min(Math.max(1000, deadline - ctx.clock.now()), (0,duration/* durationMs */.pc)(action.command.timeout, budget)),
                env: {
                    PHASE_GATE_NAMESPACE: namespace,
                    PHASE_GATE_RUN_ID: ctx.runId,
                    PHASE_GATE_PHASE: phase.name
                }
            });
            const ok = r.exitCode === 0 && !r.timedOut;
            results.push((0,result/* checkResult */.iJ)('rollback', `${phase.name}: ${action.command.run.join(' ').slice(0, 60)}`, {
                verdict: ok ? 'pass' : 'fail',
                message: ok
                    ? `rollback command succeeded in ${(0,duration/* formatDuration */.a3)(r.durationMs)}`
                    : `rollback command failed (exit ${r.exitCode}${r.timedOut ? ', timed out' : ''})`,
                evidence: (r.stderr || r.stdout).slice(-2000),
                location
            }));
            continue;
        }
        // `undo` on a Helm phase means the release's own undo.
        const t0 = ctx.clock.now();
        const revisionBefore = rec.helm?.revisionBefore;
        let ok;
        let message;
        let evidence;
        let data = {};
        try {
            if (revisionBefore !== undefined) {
                const r = await (0,helm_release/* rollbackRelease */.w6)(helm, cluster, spec.release, {
                    to: revisionBefore,
                    deadline,
                    clock: ctx.clock
                });
                ok = r.ok;
                message = r.message;
                evidence = r.evidence;
                data = r.data;
            }
            else {
                // A first install has no earlier revision: the release goes away (what it created with it).
                const manifest = await helm.manifest(spec.release).catch(() => '');
                const refs = manifest ? (0,helm_release/* refsOf */.gA)(await (0,helm_release/* manifestObjects */.wh)(cluster, manifest, namespace)) : [];
                await helm.uninstall(spec.release, Math.max(1000, deadline - ctx.clock.now()));
                const gone = refs.length
                    ? await (0,wait/* waitForGone */.iY)(cluster, refs, {
                        timeoutMs: Math.max(0, deadline - ctx.clock.now()),
                        clock: ctx.clock
                    })
                    : undefined;
                ok = !gone || gone.result === 'done';
                message = ok
                    ? `release ${spec.release} uninstalled (it had no earlier revision); ${refs.length} objects gone`
                    : `release ${spec.release} uninstalled, but ${gone?.message}`;
                data = { uninstalled: true, objects: refs.length };
            }
        }
        catch (err) {
            ok = false;
            message = (0,errors/* errorMessage */.gJ)(err);
        }
        const took = ctx.clock.now() - t0;
        results.push((0,result/* checkResult */.iJ)('rollback', `${phase.name}: helm`, {
            verdict: ok ? 'pass' : 'fail',
            message: ok
                ? `rolled back in ${(0,duration/* formatDuration */.a3)(took)} (budget ${(0,duration/* formatDuration */.a3)(budget)}): ${message}`
                : `rollback incomplete: ${message}`,
            evidence,
            data: { ...data, durationMs: took, budgetMs: budget },
            location
        }));
    }
    const ok = results.every(r => (0,model/* isPassing */.WG)(r.verdict));
    rec.status = ok ? 'rolled-back' : 'failed';
    rec.finishedAt = new Date(ctx.clock.now()).toISOString();
    await record.writePhase(rec).catch(err => ctx.log.warn(`state record: ${(0,errors/* errorMessage */.gJ)(err)}`));
    return results;
}


/***/ })

};
