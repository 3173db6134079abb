export const id = 751;
export const ids = [751];
export const modules = {

/***/ 7751:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run_run)
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
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/core/clock.ts
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

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ./src/core/exec.ts
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
            const child = (0,external_node_child_process_.spawn)(cmd, args, {
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
            child.on('error', err => finish({ exitCode: 127, spawnError: (0,secrets/* redact */.E$)(err.message) }));
            child.on('close', (code, sig) => finish({ exitCode: code ?? (sig ? 128 + 15 : 1) }));
            if (opts.input !== undefined)
                child.stdin.end(opts.input);
            else
                child.stdin.end();
        });
    }
};

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
            const create = await ctx.cluster.accessReview({ verb: 'create', group: '', resource: 'namespaces' });
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
                const inside = await ctx.cluster.accessReview({ verb: 'list', group: '', resource: 'pods', namespace: ns });
                return [
                    (0,checks_result/* checkResult */.iJ)('namespace', ns, {
                        verdict: inside.allowed ? 'warn' : 'fail',
                        severity: inside.allowed ? 'low' : 'high',
                        message: inside.allowed
                            ? `cannot read namespace ${ns} itself (forbidden), but this identity has rights inside it`
                            : `this identity may neither read namespace ${ns} nor work inside it`,
                        evidence: err.message,
                        adjustment: inside.allowed ? undefined : `grant this identity a Role in ${ns} (edit, or the rules the permission check lists)`,
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

;// CONCATENATED MODULE: ./src/registry/reference.ts
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
            const target = g.ref ? formatReference(g.ref, { familiar: true }) : g.text;
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
            ref = parseImageReference(img.ref);
        }
        catch (err) {
            parseError = (0,core_errors/* errorMessage */.gJ)(err);
        }
        const key = ref ? formatReference(withDefaultTag(ref)) : `invalid:${img.ref}`;
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
    const target = g.ref ? formatReference(g.ref, { familiar: true }) : g.text;
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
            verdict: 'fail',
            severity: 'high',
            message: `${target} comes from ${ref.registry}, which is not among the plan's allowed registries (${(input.allow ?? []).join(', ')}); not asked`,
            adjustment: `copy the image into an allowed registry (\`skopeo copy docker://${formatReference(ref)} docker://${input.allow?.[0] ?? '<allowed-registry>'}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}\`) and use that, or add ${ref.registry} to registries.allow`,
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
            reference: formatReference(ref),
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
                    adjustment = `pin a digest that exists in ${ref.repository} (\`skopeo inspect docker://${formatReference({ ...ref, digest: undefined })}\` shows the current one)`;
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

;// CONCATENATED MODULE: ./src/kube/readiness.ts
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
    if (!readiness_isRecord(status))
        throw new StatusError('.status is not an object');
    const list = status.conditions;
    if (list === undefined || list === null)
        return [];
    if (!Array.isArray(list))
        throw new StatusError('.status.conditions is not a list');
    return list.map((c, i) => {
        if (!readiness_isRecord(c))
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
    const { group } = (0,types/* splitApiVersion */.Np)(obj.apiVersion);
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
        if (!readiness_isRecord(cs) || typeof cs.name !== 'string')
            continue;
        const waiting = readiness_isRecord(cs.state) && readiness_isRecord(cs.state.waiting) ? cs.state.waiting : undefined;
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
function readiness_isRecord(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(v) {
    return typeof v === 'string' ? v : undefined;
}
/** The value at a dotted path, or undefined. */
function field(obj, path) {
    let v = obj;
    for (const part of path.split('.')) {
        if (!readiness_isRecord(v))
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

;// CONCATENATED MODULE: ./src/checks/manifest-info.ts
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
    const { group, version } = (0,types/* splitApiVersion */.Np)(apiVersion);
    return surface.resources.find(r => r.group === group && r.version === version && r.kind === kind);
}
/** True for a plain object (YAML mappings), as opposed to lists, scalars and null. */
function manifest_info_isRecord(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/** The mappings of a YAML list; anything else is an empty list (schema validation reports it, not us). */
function records(v) {
    return Array.isArray(v) ? v.filter(manifest_info_isRecord) : [];
}
/** A string field, or undefined when absent or not a string. */
function manifest_info_str(v) {
    return typeof v === 'string' ? v : undefined;
}

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
    const spec = manifest_info_isRecord(crd.spec) ? crd.spec : {};
    return records(spec.versions).map(v => ({
        name: manifest_info_str(v.name) ?? '?',
        served: v.served === true,
        storage: v.storage === true,
        deprecated: v.deprecated === true,
        deprecationWarning: manifest_info_str(v.deprecationWarning)
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
    const established = findCondition(crd, 'Established');
    const names = findCondition(crd, 'NamesAccepted');
    const status = computeStatus(crd);
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
async function crd_checkOne(ctx, target, allCrds) {
    const served = target.group
        ? ctx.surface.resources.find(r => r.group === target.group && r.kind === target.kind)
        : undefined;
    // Discovery knows the plural of a served kind; CRD objects are named <plural>.<group>.
    let name = target.name ?? (served ? `${served.resource}.${target.group}` : undefined);
    let crd = name ? await getCrd(ctx, name) : undefined;
    if (crd === undefined && !target.name && target.group) {
        // Not served: the CRD may exist but not be Established, so look it up by group and kind.
        crd = (await allCrds()).find(c => {
            const spec = manifest_info_isRecord(c.spec) ? c.spec : {};
            const names = manifest_info_isRecord(spec.names) ? spec.names : {};
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
    return (0,checks_result/* checkResult */.iJ)(crd_KIND, target.text, {
        ...judgeCrd(target, crd, label),
        location: target.location
    });
}
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
        const results = await mapBounded(crdTargets(ctx), t => (0,checks_result/* timed */.ay)(crd_KIND, t.text, () => crd_checkOne(ctx, t, allCrds), t.location));
        return results.flat();
    }
};

// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
;// CONCATENATED MODULE: ./src/checks/version-range.ts
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
        if (!parseRange(op.version))
            return {
                verdict: 'fail',
                severity: 'high',
                message: `operator ${op.name}: version range "${op.version}" does not parse`,
                adjustment: 'write the range like ">=1.20", "^1.2", "~1.2.3", ">=1.2 <2" or "1.2.x"',
                data
            };
        const ok = ready.version ? satisfies(ready.version, op.version) : undefined;
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
    const spec = manifest_info_isRecord(csv.spec) ? csv.spec : {};
    const status = manifest_info_isRecord(csv.status) ? csv.status : {};
    const phase = manifest_info_str(status.phase) ?? 'no phase yet';
    const reason = manifest_info_str(status.reason);
    const message = manifest_info_str(status.message);
    return {
        source: 'csv',
        where: `${csv.metadata.namespace}/${csv.metadata.name}`,
        ready: phase === 'Succeeded',
        version: manifest_info_str(spec.version) ?? /\.v?(\d+\.\d+.*)$/.exec(csv.metadata.name)?.[1],
        state: `phase ${phase}${reason ? ` (${reason}${message ? `: ${message}` : ''})` : ''}`
    };
}
function deploymentSighting(d, operator) {
    const available = findCondition(d, 'Available');
    const kstatus = computeStatus(d);
    const spec = manifest_info_isRecord(d.spec) ? d.spec : {};
    const tpl = manifest_info_isRecord(spec.template) && manifest_info_isRecord(spec.template.spec) ? spec.template.spec : {};
    const containers = records(tpl.containers);
    const main = containers.find(c => c.name === operator || c.name === 'manager') ?? containers[0];
    const image = main ? manifest_info_str(main.image) : undefined;
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
    const data = manifest_info_isRecord(secret.data) ? secret.data : {};
    const raw = manifest_info_str(data.release);
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
    const olm = findResource(ctx.surface, CSV_API, 'ClusterServiceVersion') !== undefined;
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

;// CONCATENATED MODULE: ./src/kube/labels.ts
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
    const v = text.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
    return v || 'x';
}
/** A DNS-1123 name fragment: lowercase alphanumerics and '-'. */
function dnsName(text, max = 253) {
    return text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, max).replace(/-+$/, '') || 'x';
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
function labels_runSelector(plan, run, role) {
    const parts = [`${LABEL_PLAN}=${labelValue(plan)}`, `${LABEL_RUN}=${labelValue(run)}`];
    if (role)
        parts.push(`${LABEL_ROLE}=${role}`);
    return parts.join(',');
}
/** True when undo must leave the object in place (PVCs, keep annotations). */
function isKept(obj) {
    const a = obj.metadata.annotations ?? {};
    return obj.kind === 'PersistentVolumeClaim' || a[ANNOTATION_HELM_KEEP] === 'keep' || a[ANNOTATION_KEEP] === 'true';
}

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
    const served = findResource(surface, obj.apiVersion, obj.kind);
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
        const what = describeManifest(m);
        const location = manifestLocation(m);
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

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/plan/manifests.ts
/**
 * Manifest files named by a plan: globs expanded inside the repository,
 * multi-document YAML split into objects, each remembering its file and line
 * so findings point at the manifest.
 */




const MAX_MANIFEST_BYTES = 4 << 20;
/** True when `p` lies inside `root` (after resolving symlinks where the path exists). */
async function isInside(root, p) {
    const real = await (0,promises_.realpath)(p).catch(() => (0,external_node_path_.resolve)(p));
    const realRoot = await (0,promises_.realpath)(root).catch(() => (0,external_node_path_.resolve)(root));
    const rel = (0,external_node_path_.relative)(realRoot, real);
    return rel === '' || (!rel.startsWith(`..${external_node_path_.sep}`) && rel !== '..' && !(0,external_node_path_.isAbsolute)(rel));
}
/** Expands plan-relative paths and globs to files inside the repository root. */
async function expandManifestPaths(loaded, patterns, field) {
    const files = [];
    for (const pattern of patterns) {
        const abs = (0,external_node_path_.isAbsolute)(pattern) ? pattern : (0,external_node_path_.resolve)(loaded.dir, pattern);
        if (!(await isInside(loaded.root, abs.replace(/[*?[{].*$/, '') || loaded.root)))
            throw new core_errors/* UsageError */.eb(`${field}: "${pattern}" points outside the repository (${loaded.root})`);
        const matched = [];
        if (/[*?[{]/.test(pattern)) {
            for await (const f of (0,promises_.glob)((0,external_node_path_.relative)(loaded.dir, abs), { cwd: loaded.dir }))
                matched.push((0,external_node_path_.resolve)(loaded.dir, f));
            matched.sort();
        }
        else {
            matched.push(abs);
        }
        for (const f of matched) {
            if (!(await isInside(loaded.root, f)))
                throw new core_errors/* UsageError */.eb(`${field}: "${f}" resolves outside the repository (${loaded.root})`);
            if (!files.includes(f))
                files.push(f);
        }
    }
    return files;
}
/** Parses manifest YAML text (many documents) into objects with their lines. */
function parseManifests(text, displayFile) {
    const lc = new dist/* LineCounter */.HN();
    const docs = (0,dist/* parseAllDocuments */.hR)(text, { lineCounter: lc, uniqueKeys: true });
    const out = [];
    const list = Array.isArray(docs) ? docs : [docs];
    let source;
    for (const doc of list) {
        const firstError = doc.errors[0];
        if (firstError) {
            const pos = firstError.linePos?.[0];
            throw new core_errors/* UsageError */.eb(`${displayFile}:${pos?.line ?? 1}:${pos?.col ?? 1}: not valid YAML: ${firstError.message.split('\n')[0]}`);
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
                throw new core_errors/* UsageError */.eb(`${displayFile}:${start.line}:${start.col}: a manifest document must be a Kubernetes object (a mapping with apiVersion, kind and metadata.name)`);
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
        const display = (0,external_node_path_.relative)(workspace, f) || f;
        let text;
        try {
            const buf = await (0,promises_.readFile)(f);
            if (buf.length > MAX_MANIFEST_BYTES)
                throw new core_errors/* UsageError */.eb(`${display}: manifest is ${buf.length} bytes, over the ${MAX_MANIFEST_BYTES}-byte limit`);
            text = buf.toString('utf8');
        }
        catch (err) {
            if (err instanceof core_errors/* UsageError */.eb)
                throw err;
            throw new core_errors/* UsageError */.eb(`${display}: cannot read manifest: ${(0,core_errors/* errorMessage */.gJ)(err)} (named by ${loaded.displayFile})`);
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

;// CONCATENATED MODULE: ./src/checks/plan-objects.ts
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
                manifests = parseManifests(t.manifest.inline, loaded.displayFile).map(m => ({
                    ...m,
                    line: m.line + at.line
                }));
            }
            else if (t.manifest.file) {
                const files = await expandManifestPaths(loaded, [t.manifest.file], `tracers[${index}].manifest.file`);
                manifests = await loadManifestFiles(loaded, files, workspace);
            }
        }
        catch (err) {
            problems.push(`tracer ${t.name}: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
        }
        return { unit: 'tracer', name: t.name, index, manifests, location };
    }));
    const phases = await Promise.all((loaded.plan.phases ?? []).map(async (p, index) => {
        const location = loaded.locate(['phases', index, 'apply']);
        let manifests = [];
        try {
            if (p.apply?.length) {
                const files = await expandManifestPaths(loaded, p.apply, `phases[${index}].apply`);
                manifests = await loadManifestFiles(loaded, files, workspace);
            }
        }
        catch (err) {
            problems.push(`phase ${p.name}: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
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
            const spec = manifest_info_isRecord(object.spec) ? object.spec : {};
            const names = manifest_info_isRecord(spec.names) ? spec.names : {};
            const group = manifest_info_str(spec.group);
            const kind = manifest_info_str(names.kind);
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
                plural: manifest_info_str(names.plural) ?? `${kind.toLowerCase()}s`,
                namespaced: spec.scope !== 'Cluster',
                versions: records(spec.versions)
                    .filter(v => v.served !== false)
                    .map(v => manifest_info_str(v.name))
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
        const status = manifest_info_isRecord(review.status) ? review.status : {};
        const user = manifest_info_isRecord(status.userInfo) ? status.userInfo : {};
        return typeof user.username === 'string' ? user.username : undefined;
    }
    catch (err) {
        ctx.log.debug(`SelfSubjectReview failed: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
        return undefined;
    }
}
const permissionCheck = {
    kind: permission_KIND,
    // phase-gate's own rights are always needed, whatever the plan holds.
    applies: () => true,
    async run(ctx) {
        const objects = await loadPlanObjects(ctx.loaded, ctx.settings.workspace);
        const plan = ctx.loaded.plan;
        const { needs, unresolved } = derivePermissions({
            planName: plan.name,
            namespace: ctx.namespace,
            surface: ctx.surface,
            creations: planCreations(objects, ctx.manifests),
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
        const roleName = `phase-gate-${dnsName(plan.name, 50)}`;
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
};

// EXTERNAL MODULE: ./node_modules/@bufbuild/cel/dist/esm/type.js
var type = __webpack_require__(4540);
// EXTERNAL MODULE: ./node_modules/@bufbuild/cel/dist/esm/func.js
var func = __webpack_require__(8558);
// EXTERNAL MODULE: ./node_modules/@bufbuild/protobuf/dist/esm/registry.js + 2 modules
var registry = __webpack_require__(370);
// EXTERNAL MODULE: ./node_modules/@bufbuild/protobuf/dist/esm/create.js
var create = __webpack_require__(6149);
// EXTERNAL MODULE: ./node_modules/@bufbuild/protobuf/dist/esm/wkt/google/protobuf/descriptor_pb.js + 1 modules
var descriptor_pb = __webpack_require__(6177);
// EXTERNAL MODULE: ./node_modules/@bufbuild/protobuf/dist/esm/reflect/reflect.js
var reflect = __webpack_require__(1106);
// EXTERNAL MODULE: ./node_modules/@bufbuild/protobuf/dist/esm/reflect/guard.js
var guard = __webpack_require__(1394);
;// CONCATENATED MODULE: ./src/cel/object-types.ts
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
const object_types_registry = (0,registry/* createFileRegistry */.uO)((0,create/* create */.v)(descriptor_pb/* FileDescriptorSetSchema */.Zw, {
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
    const desc = object_types_registry.getMessage(TYPE_NAMES[kind]);
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
    quantity: (0,type/* objectType */.ge)(DESCRIPTORS.quantity),
    url: (0,type/* objectType */.ge)(DESCRIPTORS.url),
    semver: (0,type/* objectType */.ge)(DESCRIPTORS.semver),
    ip: (0,type/* objectType */.ge)(DESCRIPTORS.ip),
    cidr: (0,type/* objectType */.ge)(DESCRIPTORS.cidr),
    optional: (0,type/* objectType */.ge)(DESCRIPTORS.optional)
};
const payloads = new WeakMap();
/**
 * A CEL value of one of our object types: `key` decides equality, `payload` is what methods read,
 * `display` is how it leaves CEL (evaluate() returns it for a quantity, URL, ...).
 */
function wrapObject(kind, key, payload, display = key) {
    const desc = DESCRIPTORS[kind];
    const msg = (0,create/* create */.v)(desc, { key });
    payloads.set(msg, { payload, display });
    return (0,reflect/* reflect */.E4)(desc, msg);
}
/** How a value of one of our object types is shown outside CEL. */
function objectDisplay(value) {
    return payloads.get(value.message)?.display ?? `<${value.desc.typeName}>`;
}
/** Which of our object types a CEL value is, if any. */
function objectKind(value) {
    if (!(0,guard/* isReflectMessage */.LT)(value))
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

;// CONCATENATED MODULE: ./src/cel/quantity.ts
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
    return wrapObject('quantity', quantityKey(q), q, display);
}
const Q = OBJECT_TYPES.quantity;
const { STRING, BOOL, INT, DOUBLE } = type/* CelScalar */.ZR;
const get = (v) => unwrapObject('quantity', v);
const fromInt = (n) => ({ unscaled: n, exp: 0, fast: true });
function multiply(q, by) {
    const product = q.unscaled * by;
    return { unscaled: product, exp: q.exp, fast: q.fast && fitsInt64(product) };
}
/** The quantity functions, as Kubernetes declares them (library.Quantity). */
const quantityLibrary = [
    (0,func/* celFunc */.V)('quantity', [STRING], Q, s => quantityValue(parseQuantity(s), s)),
    (0,func/* celFunc */.V)('isQuantity', [STRING], BOOL, s => {
        try {
            parseQuantity(s);
            return true;
        }
        catch {
            return false;
        }
    }),
    // Kubernetes declares sign as a global overload; the receiver form is what its docs show.
    (0,func/* celFunc */.V)('sign', [Q], INT, q => BigInt(compareQuantities(get(q), fromInt(0n)))),
    (0,func/* celMethod */.y)('sign', Q, [], INT, function () {
        return BigInt(compareQuantities(get(this), fromInt(0n)));
    }),
    (0,func/* celMethod */.y)('isGreaterThan', Q, [Q], BOOL, function (other) {
        return compareQuantities(get(this), get(other)) === 1;
    }),
    (0,func/* celMethod */.y)('isLessThan', Q, [Q], BOOL, function (other) {
        return compareQuantities(get(this), get(other)) === -1;
    }),
    (0,func/* celMethod */.y)('compareTo', Q, [Q], INT, function (other) {
        return BigInt(compareQuantities(get(this), get(other)));
    }),
    (0,func/* celMethod */.y)('asApproximateFloat', Q, [], DOUBLE, function () {
        const q = get(this);
        return Number(`${q.unscaled}e${q.exp}`);
    }),
    (0,func/* celMethod */.y)('isInteger', Q, [], BOOL, function () {
        return quantityAsInt64(get(this)) !== undefined;
    }),
    (0,func/* celMethod */.y)('asInteger', Q, [], INT, function () {
        const v = quantityAsInt64(get(this));
        if (v === undefined)
            throw new Error('cannot convert value to integer');
        return v;
    }),
    (0,func/* celMethod */.y)('add', Q, [Q], Q, function (other) {
        return quantityValue(addQuantities(get(this), get(other)));
    }),
    (0,func/* celMethod */.y)('add', Q, [INT], Q, function (n) {
        return quantityValue(addQuantities(get(this), fromInt(n)));
    }),
    (0,func/* celMethod */.y)('sub', Q, [Q], Q, function (other) {
        return quantityValue(subtractQuantities(get(this), get(other)));
    }),
    (0,func/* celMethod */.y)('sub', Q, [INT], Q, function (n) {
        return quantityValue(subtractQuantities(get(this), fromInt(n)));
    }),
    (0,func/* celMethod */.y)('mul', Q, [INT], Q, function (n) {
        return quantityValue(multiply(get(this), n));
    })
];

;// CONCATENATED MODULE: ./src/checks/quantity.ts
/**
 * Kubernetes resource quantities (`500m`, `1.5`, `1Gi`, `512Mi`, `1e3`) as
 * exact integers of nano-units, so sums of many requests compare with quota
 * figures without floating-point drift. The apiserver rounds up to the same
 * precision, so a sub-nano remainder is rounded up here too.
 */

const quantity_NANO = 1000000000n;
/** The quantity in nano-units, or undefined when the text is not a Kubernetes quantity. */
function quantity_parseQuantity(text) {
    if (text === undefined || text === null)
        return undefined;
    const s = typeof text === 'number' ? (Number.isFinite(text) ? String(text) : '') : text.trim();
    if (s === '')
        return undefined;
    let q;
    try {
        // The CEL library's parser is a port of resource.ParseQuantity; one grammar for the whole project.
        q = parseQuantity(s);
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
function quantity_formatQuantity(q, resource = '') {
    if (q < 0n)
        return `-${quantity_formatQuantity(-q, resource)}`;
    if (isByteResource(resource))
        return formatBytes(q);
    if (q % quantity_NANO === 0n)
        return String(q / quantity_NANO);
    if (q % 1000000n === 0n) {
        const milli = q / 1000000n;
        // 1.5 reads better than 1500m once a whole core is involved.
        return milli >= 1000n ? decimal(q) : `${milli}m`;
    }
    return decimal(q);
}
function formatBytes(q) {
    const bytes = (q + quantity_NANO - 1n) / quantity_NANO;
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
    const whole = q / quantity_NANO;
    const frac = String(q % quantity_NANO).padStart(9, '0');
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
    if (!manifest_info_isRecord(v))
        return out;
    for (const [k, x] of Object.entries(v)) {
        const q = quantity_parseQuantity(typeof x === 'number' || typeof x === 'string' ? x : undefined);
        if (q !== undefined)
            out.set(k, q);
    }
    return out;
}
/** The LimitRanges' container defaults merged (the first LimitRange to set a resource wins, as LimitRanger applies them in order). */
function containerDefaults(limitRanges) {
    const d = { limits: new Map(), requests: new Map() };
    for (const lr of limitRanges) {
        const spec = manifest_info_isRecord(lr.spec) ? lr.spec : {};
        for (const item of records(spec.limits)) {
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
    const res = manifest_info_isRecord(c.resources) ? c.resources : {};
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
        ...records(t.spec.initContainers).map(c => containerResources(c, 'initContainers', defaults)),
        ...records(t.spec.containers).map(c => containerResources(c, 'containers', defaults))
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

;// CONCATENATED MODULE: ./src/checks/pod-templates.ts
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
        return manifest_info_isRecord(obj.spec)
            ? { spec: obj.spec, path: 'spec', metadata: metaOf(obj.metadata) }
            : undefined;
    }
    if (obj.kind === 'PodTemplate') {
        const tpl = obj.template;
        return manifest_info_isRecord(tpl) && manifest_info_isRecord(tpl.spec)
            ? { spec: tpl.spec, path: 'template.spec', metadata: metaOf(tpl.metadata) }
            : undefined;
    }
    const spec = manifest_info_isRecord(obj.spec) ? obj.spec : undefined;
    if (!spec)
        return undefined;
    if (obj.kind === 'CronJob') {
        const job = manifest_info_isRecord(spec.jobTemplate) && manifest_info_isRecord(spec.jobTemplate.spec)
            ? spec.jobTemplate.spec
            : undefined;
        const tpl = job && manifest_info_isRecord(job.template) ? job.template : undefined;
        return tpl && manifest_info_isRecord(tpl.spec)
            ? {
                spec: tpl.spec,
                path: 'spec.jobTemplate.spec.template.spec',
                metadata: metaOf(tpl.metadata)
            }
            : undefined;
    }
    const tpl = manifest_info_isRecord(spec.template) ? spec.template : undefined;
    // Built-in workloads, and look-alikes (Argo Rollouts, DeploymentConfigs) that embed a pod template.
    if (!tpl || !manifest_info_isRecord(tpl.spec) || !Array.isArray(tpl.spec.containers))
        return undefined;
    return { spec: tpl.spec, path: 'spec.template.spec', metadata: metaOf(tpl.metadata) };
}
function metaOf(m) {
    const r = manifest_info_isRecord(m) ? m : {};
    return { labels: stringMap(r.labels), annotations: stringMap(r.annotations) };
}
function stringMap(v) {
    const out = {};
    if (manifest_info_isRecord(v))
        for (const [k, x] of Object.entries(v))
            if (typeof x === 'string')
                out[k] = x;
    return out;
}
/** Every container of a pod template: init containers, containers, ephemeral containers. */
function containersOf(t) {
    const out = [];
    for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
        records(t.spec[list]).forEach((container, index) => {
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
    const spec = manifest_info_isRecord(obj.spec) ? obj.spec : {};
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
            const job = manifest_info_isRecord(spec.jobTemplate) && manifest_info_isRecord(spec.jobTemplate.spec) ? spec.jobTemplate.spec : {};
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
    const spec = manifest_info_isRecord(claim.spec) ? claim.spec : claim;
    const res = manifest_info_isRecord(spec.resources) ? spec.resources : {};
    const req = manifest_info_isRecord(res.requests) ? res.requests : {};
    const v = req.storage;
    return quantity_parseQuantity(typeof v === 'string' || typeof v === 'number' ? v : undefined);
}
function claimAmounts(m, claim, times) {
    const spec = manifest_info_isRecord(claim.spec) ? claim.spec : {};
    const storage = storageOf(claim) ?? 0n;
    const cls = manifest_info_str(spec.storageClassName);
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
    const r = findResource(ctx.surface, obj.apiVersion, obj.kind);
    if (r) {
        const key = canonicalQuotaKey(`count/${r.resource}${r.group ? `.${r.group}` : ''}`);
        addTo(objects, key, ONE);
    }
    if (obj.kind === 'Service' && obj.apiVersion === 'v1') {
        const spec = manifest_info_isRecord(obj.spec) ? obj.spec : {};
        const ports = records(spec.ports).length;
        if (spec.type === 'LoadBalancer')
            addTo(objects, 'services.loadbalancers', ONE);
        if (spec.type === 'NodePort' ||
            (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false))
            addTo(objects, 'services.nodeports', ONE * BigInt(ports));
    }
    if (obj.kind === 'PersistentVolumeClaim' && obj.apiVersion === 'v1')
        claimAmounts(objects, obj, 1);
    const t = podTemplateOf(obj);
    if (!t)
        return { manifest: m, objects };
    const count = podCount(obj, ctx.nodes);
    if (obj.kind === 'StatefulSet') {
        const spec = manifest_info_isRecord(obj.spec) ? obj.spec : {};
        for (const claim of records(spec.volumeClaimTemplates))
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
    const spec = manifest_info_isRecord(quota.spec) ? quota.spec : {};
    const scopes = (Array.isArray(spec.scopes) ? spec.scopes : []).filter((s) => typeof s === 'string');
    const selector = manifest_info_isRecord(spec.scopeSelector) ? records(spec.scopeSelector.matchExpressions) : [];
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
        selector.every(e => matches(manifest_info_str(e.scopeName) ?? '', manifest_info_str(e.operator), (Array.isArray(e.values) ? e.values : []).filter((v) => typeof v === 'string'))));
}
function isScoped(quota) {
    const spec = manifest_info_isRecord(quota.spec) ? quota.spec : {};
    return (Array.isArray(spec.scopes) && spec.scopes.length > 0) || manifest_info_isRecord(spec.scopeSelector);
}
/** Hard and used amounts of a quota, under canonical names (status first; spec when the controller has not synced yet). */
function quotaFigures(quota) {
    const spec = manifest_info_isRecord(quota.spec) ? quota.spec : {};
    const status = manifest_info_isRecord(quota.status) ? quota.status : {};
    const read = (v, names) => {
        const out = new Map();
        if (!manifest_info_isRecord(v))
            return out;
        for (const [k, x] of Object.entries(v)) {
            const q = quantity_parseQuantity(typeof x === 'string' || typeof x === 'number' ? x : undefined);
            if (q === undefined)
                continue;
            out.set(canonicalQuotaKey(k), q);
            names?.set(canonicalQuotaKey(k), k);
        }
        return out;
    };
    const names = new Map();
    const synced = manifest_info_isRecord(status.hard);
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
        : quantity_formatQuantity(q, key);
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
        const amount = quantity_parseQuantity(v);
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
    const spec = manifest_info_isRecord(lr.spec) ? lr.spec : {};
    const out = [];
    const amounts = (v) => {
        const m = new Map();
        if (manifest_info_isRecord(v))
            for (const [k, x] of Object.entries(v)) {
                const q = quantity_parseQuantity(typeof x === 'string' || typeof x === 'number' ? x : undefined);
                if (q !== undefined)
                    m.set(k, q);
            }
        return m;
    };
    for (const d of demands) {
        if (!d.pod)
            continue;
        const problems = [];
        for (const item of records(spec.limits)) {
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
                        problems.push(`${s.what} sets no ${r} limit, but LimitRange ${lr.metadata.name} has max ${r} ${quantity_formatQuantity(hi, r)}`);
                    else if (l > hi)
                        problems.push(`${s.what} limits ${r} to ${quantity_formatQuantity(l, r)}, above the max ${quantity_formatQuantity(hi, r)}`);
                }
                for (const [r, lo] of min) {
                    const q = s.requests.get(r);
                    if (q === undefined)
                        problems.push(`${s.what} requests no ${r}, but LimitRange ${lr.metadata.name} has min ${r} ${quantity_formatQuantity(lo, r)}`);
                    else if (q < lo)
                        problems.push(`${s.what} requests ${r} ${quantity_formatQuantity(q, r)}, below the min ${quantity_formatQuantity(lo, r)}`);
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
const quotaCheck = {
    kind: quota_KIND,
    applies: ctx => ctx.loaded.plan.assumptions?.quota !== undefined || ctx.manifests.length > 0,
    async run(ctx) {
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
            const r = findResource(ctx.surface, m.object.apiVersion, m.object.kind);
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
            const lines = missing.map(x => `${describeManifest(x.demand.manifest)}: containers ${x.containers.join(', ')} set no ${x.missing.join(', ')}`);
            const keys = [...new Set(missing.flatMap(x => x.missing))].sort();
            results.push((0,checks_result/* checkResult */.iJ)(quota_KIND, `${ctx.namespace}/${quota.metadata.name} requires ${keys.join(', ')}`, {
                verdict: 'fail',
                severity: 'high',
                message: `quota ${quota.metadata.name} tracks ${keys.join(', ')}, so every container must set ${keys.length === 1 ? 'it' : 'them'}; pods of ${missing.length} workload${missing.length === 1 ? '' : 's'} would be rejected ("must specify ${keys.join(',')}")`,
                evidence: `${lines.join('\n')}${defaults.source ? '' : `\nno LimitRange in ${ctx.namespace} gives defaults`}`,
                adjustment: `set resources.${keys.map(k => k).join(' and resources.')} on every container, or add a LimitRange with default/defaultRequest for ${keys.map(k => k.split('.')[1]).join(', ')} in ${ctx.namespace}`,
                location: manifestLocation(missing[0].demand.manifest),
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
                        .map(v => `${describeManifest(v.demand.manifest)}: ${v.problems.join('; ')}`)
                        .join('\n')
                    : undefined,
                adjustment: violations.length
                    ? `change the containers' resources to lie within the LimitRange, or ask the namespace admin to widen it`
                    : undefined,
                location: violations.length ? manifestLocation(violations[0].demand.manifest) : undefined
            }));
        }
        if (note)
            for (const r of results)
                r.evidence = r.evidence ? `${r.evidence}\n${note}` : note;
        return results;
    }
};
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
        .map(c => `${describeManifest(c.demand.manifest)} ${fmt(first, c.amounts.get(first) ?? 0n)}`);
    return (0,checks_result/* checkResult */.iJ)(quota_KIND, target, {
        verdict: 'fail',
        severity: 'high',
        message: short.map(s => describeShortfall(s, name, shown(s.resource))).join('; '),
        evidence: rows.join('\n') +
            (contributors.length
                ? `\nlargest ${shown(first)} requests: ${contributors.join(', ')}`
                : '') +
            syncNote,
        adjustment: `raise quota ${name}'s ${short.map(s => `${shown(s.resource)} to at least ${fmt(s.resource, s.used + s.need)}`).join(', ')} (namespace admin), or lower replicas or requests${contributors.length ? ` (largest: ${top[0] ? describeManifest(top[0].demand.manifest) : ''})` : ''}`,
        data,
        location: top[0] ? manifestLocation(top[0].demand.manifest) : planLocation
    });
}

;// CONCATENATED MODULE: ./src/checks/storage-class.ts
/**
 * Storage classes: each class in `assumptions.storageClasses` exists, and
 * every claim in the manifests (PersistentVolumeClaims, StatefulSet
 * volumeClaimTemplates, generic ephemeral volumes) names a class that exists,
 * or names none while the cluster has a default class.
 *
 * Claim rules are a list: the access-modes-versus-provisioner rule (a later
 * issue) is one more `ClaimRule` in `CLAIM_RULES`.
 */




const storage_class_KIND = 'storage-class';
const DEFAULT_ANNOTATIONS = [
    'storageclass.kubernetes.io/is-default-class',
    'storageclass.beta.kubernetes.io/is-default-class'
];
/** A StorageClass object reduced to what the rules use. */
function storageClassInfo(obj) {
    const a = obj.metadata.annotations ?? {};
    return {
        name: obj.metadata.name,
        provisioner: manifest_info_str(obj.provisioner) ?? '?',
        isDefault: DEFAULT_ANNOTATIONS.some(k => a[k] === 'true'),
        reclaimPolicy: manifest_info_str(obj.reclaimPolicy),
        volumeBindingMode: manifest_info_str(obj.volumeBindingMode),
        allowVolumeExpansion: obj.allowVolumeExpansion === true,
        creationTimestamp: obj.metadata.creationTimestamp
    };
}
/** Every claim of the manifests, with its field path. */
function claimsOf(manifests) {
    const out = [];
    const claim = (manifest, path, name, spec) => {
        const s = manifest_info_isRecord(spec) ? spec : {};
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
        if (obj.kind === 'StatefulSet' && manifest_info_isRecord(obj.spec))
            records(obj.spec.volumeClaimTemplates).forEach((t, i) => {
                const meta = manifest_info_isRecord(t.metadata) ? t.metadata : {};
                claim(m, `spec.volumeClaimTemplates[${i}]`, `volumeClaimTemplates ${manifest_info_str(meta.name) ?? i}`, t.spec);
            });
        const t = podTemplateOf(obj);
        if (t)
            records(t.spec.volumes).forEach((v, i) => {
                const eph = manifest_info_isRecord(v.ephemeral) && manifest_info_isRecord(v.ephemeral.volumeClaimTemplate)
                    ? v.ephemeral.volumeClaimTemplate
                    : undefined;
                if (eph)
                    claim(m, `${t.path}.volumes[${i}].ephemeral.volumeClaimTemplate`, `ephemeral volume ${manifest_info_str(v.name) ?? i}`, eph.spec);
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
const CLAIM_RULES = [classExists];
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
const storageClassCheck = {
    kind: storage_class_KIND,
    applies: ctx => (ctx.loaded.plan.assumptions?.storageClasses?.length ?? 0) > 0 ||
        claimsOf(ctx.manifests).length > 0,
    async run(ctx) {
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
                location: manifestLocation(claim.manifest, claim.path)
            }));
        }
        return results;
    }
};

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
    const where = (c) => c.phase ? `from ${describePhase(c.phase)}` : `created by ${c.manifest.file}:${c.manifest.line}`;
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
        /Invalid value|Required value|Unsupported value|unknown field|strict decoding|Forbidden:/.test(message))
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
                for (const w of records(cfg.webhooks)) {
                    const name = manifest_info_str(w.name);
                    if (name && !index.has(name))
                        index.set(name, {
                            configuration: cfg.metadata.name,
                            kind,
                            sideEffects: manifest_info_str(w.sideEffects)
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
    if (!(err instanceof types/* KubeApiError */.W3) || err.transport || err.status === 401)
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
const admissionCheck = {
    kind: admission_KIND,
    applies: ctx => ctx.manifests.length > 0,
    async run(ctx) {
        const objects = await loadPlanObjects(ctx.loaded, ctx.settings.workspace);
        const creations = planCreations(objects, ctx.manifests);
        const info = ctx.manifests.map(m => findResource(ctx.surface, m.object.apiVersion, m.object.kind));
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
            const prepared = withRunLabels(withNamespace(m.object, ctx.namespace, r?.namespaced ?? false), {
                plan: ctx.loaded.plan.name,
                run: ctx.runId,
                role: 'phase',
                unit: phaseOf(objects, m)?.name
            });
            let target = describeObject(prepared);
            if (seen.has(target))
                target = `${target} (${m.file}:${m.line})`;
            seen.add(target);
            const location = manifestLocation(m);
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
                    message: `${describeManifest(m)} not dry-run: ${dependency}`,
                    adjustment: dependency.startsWith('namespace')
                        ? undefined
                        : 'the phase gate dry-runs it right before applying',
                    location
                });
            if (!r)
                return (0,checks_result/* checkResult */.iJ)(admission_KIND, target, {
                    verdict: 'fail',
                    severity: 'high',
                    message: `${describeManifest(m)} cannot be applied: ${m.object.apiVersion} ${m.object.kind} is not served here`,
                    adjustment: 'install the CRD (or move it into an earlier phase), or change the apiVersion to one this cluster serves (the divergence check names it)',
                    location,
                    durationMs: took()
                });
            try {
                await ctx.cluster.apply(prepared, { dryRun: true });
                return (0,checks_result/* checkResult */.iJ)(admission_KIND, target, {
                    verdict: 'pass',
                    message: `${describeManifest(m)} is accepted by admission (server-side dry-run)`,
                    location,
                    durationMs: took()
                });
            }
            catch (err) {
                try {
                    const isWebhook = err instanceof types/* KubeApiError */.W3 && dryRunUnsupportedWebhook(err.message) !== undefined;
                    if (isWebhook)
                        webhooks ??= webhookIndex(ctx);
                    const fields = judgeRejection(err, describeManifest(m), isWebhook ? await webhooks : undefined);
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
    return manifest_info_isRecord(v) ? v : {};
}
/** The violations of `level` in a pod template (an empty list for `privileged`). */
function checkPodSecurity(t, level) {
    if (level === 'privileged')
        return [];
    const out = [];
    const spec = t.spec;
    const psc = ctxOf(spec.securityContext);
    const pscPath = `${t.path}.securityContext`;
    const containers = containersOf(t);
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
    records(spec.volumes).forEach((vol, i) => {
        if (vol.hostPath !== undefined)
            v('hostPath', 'baseline', `${t.path}.volumes[${i}].hostPath`, `hostPath volume "${manifest_info_str(vol.name) ?? i}"`);
    });
    const sysctls = records(psc.sysctls);
    sysctls.forEach((s, i) => {
        const name = manifest_info_str(s.name) ?? '';
        if (!SAFE_SYSCTLS.has(name))
            v('sysctls', 'baseline', `${pscPath}.sysctls[${i}]`, `forbidden sysctl ${name}`);
    });
    const podSeLinux = ctxOf(psc.seLinuxOptions);
    checkSeLinux(podSeLinux, pscPath, 'pod', v);
    const podSeccomp = manifest_info_str(ctxOf(psc.seccompProfile).type);
    if (podSeccomp === 'Unconfined')
        v('seccomp', 'baseline', `${pscPath}.seccompProfile.type`, 'pod must not set seccompProfile.type=Unconfined');
    const podAppArmor = manifest_info_str(ctxOf(psc.appArmorProfile).type);
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
        records(c.container.ports).forEach((p, i) => {
            if (typeof p.hostPort === 'number' && p.hostPort !== 0)
                v('hostPorts', 'baseline', `${c.path}.ports[${i}].hostPort`, `${named(c)} uses hostPort ${p.hostPort}`);
        });
        checkSeLinux(ctxOf(sc.seLinuxOptions), scPath, named(c), v);
        if (sc.procMount !== undefined && sc.procMount !== 'Default')
            v('procMount', 'baseline', `${scPath}.procMount`, `${named(c)} must not set procMount=${String(sc.procMount)}`);
        if (manifest_info_str(ctxOf(sc.seccompProfile).type) === 'Unconfined')
            v('seccomp', 'baseline', `${scPath}.seccompProfile.type`, `${named(c)} must not set seccompProfile.type=Unconfined`);
        if (manifest_info_str(ctxOf(sc.appArmorProfile).type) === 'Unconfined')
            v('appArmor', 'baseline', `${scPath}.appArmorProfile.type`, `${named(c)} must not set appArmorProfile.type=Unconfined`);
    }
    if (level === 'baseline')
        return out;
    // ---- restricted
    records(spec.volumes).forEach((vol, i) => {
        const type = Object.keys(vol).find(k => k !== 'name');
        if (type && type !== 'hostPath' && !RESTRICTED_VOLUMES.has(type))
            v('volumeTypes', 'restricted', `${t.path}.volumes[${i}].${type}`, `volume "${manifest_info_str(vol.name) ?? i}" uses forbidden type ${type}`);
        if (type === 'hostPath')
            v('volumeTypes', 'restricted', `${t.path}.volumes[${i}].hostPath`, `volume "${manifest_info_str(vol.name) ?? i}" uses forbidden type hostPath`);
    });
    // Windows pods are exempt from the Linux-only restricted checks.
    const windows = manifest_info_str(ctxOf(spec.os).name) === 'windows';
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
        const seccomp = manifest_info_str(ctxOf(sc.seccompProfile).type);
        if (!windows && seccomp === undefined && podSeccomp === undefined)
            unsetSeccomp.push(named(c));
        else if (!windows &&
            seccomp !== undefined &&
            seccomp !== 'RuntimeDefault' &&
            seccomp !== 'Localhost' &&
            seccomp !== 'Unconfined')
            v('seccomp', 'restricted', `${scPath}.seccompProfile.type`, `${named(c)} must set seccompProfile.type to RuntimeDefault or Localhost`);
        if (!windows) {
            const caps = ctxOf(sc.capabilities);
            const drop = (Array.isArray(caps.drop) ? caps.drop : []).filter((x) => typeof x === 'string');
            if (!drop.includes('ALL'))
                v('capabilitiesRestricted', 'restricted', `${scPath}.capabilities.drop`, `${named(c)} must set securityContext.capabilities.drop=["ALL"]`);
            const added = (Array.isArray(caps.add) ? caps.add : []).filter((x) => typeof x === 'string');
            const extra = added.filter(cap => cap !== 'NET_BIND_SERVICE' && BASELINE_CAPABILITIES.has(cap));
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
        podSeccomp !== 'Localhost' &&
        podSeccomp !== 'Unconfined')
        v('seccomp', 'restricted', `${pscPath}.seccompProfile.type`, 'pod must set seccompProfile.type to RuntimeDefault or Localhost');
    if (unsetSeccomp.length)
        v('seccomp', 'restricted', `${pscPath}.seccompProfile.type`, `pod or ${unsetSeccomp.join(', ')} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`);
    return out;
}
function checkSeLinux(opts, path, who, v) {
    const type = manifest_info_str(opts.type);
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
    const served = findResource(opts.surface, apiVersion, kind) !== undefined;
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
        message: `${describeManifest(m)} violates Pod Security "${level}" (${top} in namespace ${ns}): ${consequence}`,
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
/** What restricted-v2 (OpenShift's default SCC) refuses in a pod spec, each with the SCC that would allow it. */
function openShiftFindings(t, annotations) {
    const out = [];
    const spec = t.spec;
    const psc = manifest_info_isRecord(spec.securityContext) ? spec.securityContext : {};
    const uid = parseIdRange(annotations['openshift.io/sa.scc.uid-range']);
    const groups = parseIdRange(annotations['openshift.io/sa.scc.supplemental-groups']);
    const outside = (n, r) => n < r.first || n > r.last;
    const uidCheck = (v, path, who) => {
        if (typeof v !== 'number')
            return;
        if (v === 0)
            out.push({ path, problem: `${who} runs as UID 0 (root)`, scc: 'anyuid' });
        else if (uid && outside(v, uid))
            out.push({
                path,
                problem: `${who} runs as UID ${v}, outside the namespace's range ${uid.first}-${uid.last} (openshift.io/sa.scc.uid-range)`,
                scc: 'nonroot-v2 (or anyuid)'
            });
    };
    uidCheck(psc.runAsUser, `${t.path}.securityContext.runAsUser`, 'the pod');
    if (typeof psc.fsGroup === 'number' && groups && outside(psc.fsGroup, groups))
        out.push({
            path: `${t.path}.securityContext.fsGroup`,
            problem: `fsGroup ${psc.fsGroup} is outside the namespace's range ${groups.first}-${groups.last}`,
            scc: 'nonroot-v2 (or anyuid)'
        });
    for (const ns of ['hostNetwork', 'hostPID', 'hostIPC'])
        if (spec[ns] === true)
            out.push({
                path: `${t.path}.${ns}`,
                problem: `${ns}: true`,
                scc: ns === 'hostNetwork' ? 'hostnetwork-v2' : 'privileged'
            });
    records(spec.volumes).forEach((v, i) => {
        if (v.hostPath !== undefined)
            out.push({
                path: `${t.path}.volumes[${i}].hostPath`,
                problem: `hostPath volume ${manifest_info_str(v.name) ?? i}`,
                scc: 'hostmount-anyuid'
            });
    });
    for (const c of containersOf(t)) {
        const sc = manifest_info_isRecord(c.container.securityContext) ? c.container.securityContext : {};
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
        const caps = manifest_info_isRecord(sc.capabilities) ? sc.capabilities : {};
        const added = (Array.isArray(caps.add) ? caps.add : []).filter((x) => typeof x === 'string' && x !== 'NET_BIND_SERVICE');
        if (added.length)
            out.push({
                path: `${c.path}.securityContext.capabilities.add`,
                problem: `${who} adds ${added.join(', ')}`,
                scc: 'privileged (or a custom SCC allowing them)'
            });
        records(c.container.ports).forEach((p, i) => {
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
    const lbs = services.filter(s => manifest_info_isRecord(s.spec) && s.spec.type === 'LoadBalancer');
    const served = lbs.find(s => {
        const st = manifest_info_isRecord(s.status) && manifest_info_isRecord(s.status.loadBalancer) ? s.status.loadBalancer : {};
        return records(st.ingress).length > 0;
    });
    if (served) {
        const st = manifest_info_isRecord(served.status) && manifest_info_isRecord(served.status.loadBalancer)
            ? served.status.loadBalancer
            : {};
        const ing = records(st.ingress)[0] ?? {};
        return {
            available: true,
            how: `Service ${served.metadata.namespace}/${served.metadata.name} got a load balancer address (${manifest_info_str(ing.ip) ?? manifest_info_str(ing.hostname) ?? '?'})`
        };
    }
    let provider;
    try {
        const nodes = (await ctx.cluster.list('v1', 'Node', { limit: 5 })).items;
        provider = nodes
            .map(n => (manifest_info_isRecord(n.spec) ? manifest_info_str(n.spec.providerID) : undefined))
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
const divergenceCheck = {
    kind: divergence_KIND,
    applies: ctx => ctx.manifests.length > 0,
    async run(ctx) {
        const objects = await loadPlanObjects(ctx.loaded, ctx.settings.workspace);
        const creations = planCreations(objects, ctx.manifests);
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
            const users = list.map(m => `${m.file}:${m.line} ${describeObject(m.object)}`);
            results.push((0,checks_result/* checkResult */.iJ)(divergence_KIND, `apiVersion ${apiVersion} ${kind}`, {
                ...f,
                message: f.verdict === 'pass'
                    ? `${f.message} (${list.length} manifest${list.length === 1 ? '' : 's'})`
                    : f.message,
                evidence: [f.evidence, f.verdict === 'pass' ? undefined : `used by ${users.join(', ')}`]
                    .filter(Boolean)
                    .join('\n') || undefined,
                location: manifestLocation(list[0])
            }));
        }
        // (b) and (c): every workload's pod spec against its namespace.
        const workloads = ctx.manifests
            .map(m => ({ m, t: podTemplateOf(m.object) }))
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
                results.push((0,checks_result/* checkResult */.iJ)(divergence_KIND, `pod-security ${describeObject({ ...m.object, metadata: { ...m.object.metadata, namespace: ns } })}`, {
                    ...f,
                    location: manifestLocation(m, f.data?.violations ? f.data.violations[0].path : undefined)
                }));
            else
                clean.set(ns, (clean.get(ns) ?? 0) + 1);
            if (openshift) {
                const found = openShiftFindings(t, nsObj.metadata.annotations ?? {});
                if (found.length)
                    results.push((0,checks_result/* checkResult */.iJ)(divergence_KIND, `openshift ${describeObject({ ...m.object, metadata: { ...m.object.metadata, namespace: ns } })}`, {
                        verdict: 'fail',
                        severity: 'high',
                        message: `${describeManifest(m)} needs more than OpenShift's default SCC restricted-v2 allows: its pods will not be admitted unless its service account is granted ${[...new Set(found.map(f => f.scc))].join(' / ')}`,
                        evidence: found.map(f => `${f.path}: ${f.problem} (needs SCC ${f.scc})`).join('\n'),
                        adjustment: `drop the fixed UIDs and privileges (let OpenShift assign the UID from the namespace range), or have an admin run \`oc adm policy add-scc-to-user ${found[0].scc.split(' ')[0]} -z ${manifest_info_str(t.spec.serviceAccountName) ?? 'default'} -n ${ns}\``,
                        location: manifestLocation(m, found[0].path),
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
                        ? `${clean.get(ns)} workload${clean.get(ns) === 1 ? '' : 's'} in ${ns} meet its Pod Security levels (${set.join(', ')})`
                        : `namespace ${ns} sets no Pod Security level (the cluster default applies, privileged unless configured)`,
                    location: ctx.loaded.locate(['target', 'namespace'])
                }));
        }
        if (openshift) {
            const ingresses = ctx.manifests.filter(m => m.object.kind === 'Ingress');
            for (const m of ingresses)
                results.push((0,checks_result/* checkResult */.iJ)(divergence_KIND, `openshift ${describeObject(m.object)} (Ingress)`, {
                    verdict: 'warn',
                    severity: 'low',
                    message: `${describeManifest(m)}: on OpenShift, Routes are the norm; the ingress-to-route controller turns this Ingress into a Route with default TLS settings`,
                    adjustment: 'consider a route.openshift.io/v1 Route for edge/passthrough/reencrypt TLS and router annotations',
                    location: manifestLocation(m)
                }));
        }
        // (d) LoadBalancer Services.
        const lbServices = ctx.manifests.filter(m => m.object.kind === 'Service' &&
            manifest_info_isRecord(m.object.spec) &&
            m.object.spec.type === 'LoadBalancer');
        if (lbServices.length) {
            const lb = await judgeLoadBalancer(ctx);
            for (const m of lbServices)
                results.push((0,checks_result/* checkResult */.iJ)(divergence_KIND, `load-balancer ${describeObject(m.object)}`, {
                    verdict: lb.available === true ? 'pass' : 'warn',
                    severity: lb.available === true ? 'info' : 'medium',
                    message: lb.available === true
                        ? `${describeManifest(m)} is type LoadBalancer: this cluster provisions them`
                        : `${describeManifest(m)} is type LoadBalancer, but nothing in this cluster seems to provision load balancers: its EXTERNAL-IP would stay <pending>`,
                    evidence: `judged by: ${lb.how}`,
                    adjustment: lb.available === true
                        ? undefined
                        : 'use a ClusterIP Service behind an Ingress/Gateway/Route, or NodePort; or install a load-balancer controller (MetalLB, kube-vip) first',
                    location: manifestLocation(m, 'spec.type')
                }));
        }
        // (e) registries outside the plan's allow-list.
        const allow = ctx.loaded.plan.registries?.allow;
        if (allow && allow.length > 0) {
            const outside = [];
            let firstOutside;
            for (const { m, t } of workloads)
                for (const c of containersOf(t)) {
                    const image = manifest_info_str(c.container.image);
                    if (!image)
                        continue;
                    let registry;
                    try {
                        const ref = parseImageReference(image);
                        registry = ref.registry;
                        if (registryAllowed(ref, allow))
                            continue;
                    }
                    catch {
                        continue;
                    }
                    outside.push(`${m.file}:${m.line} ${describeObject(m.object)} ${c.path}.image: ${image} (registry ${registry})`);
                    firstOutside ??= manifestLocation(m, `${c.path}.image`);
                }
            results.push((0,checks_result/* checkResult */.iJ)(divergence_KIND, 'registries', {
                verdict: outside.length ? 'fail' : 'pass',
                severity: outside.length ? 'high' : 'info',
                message: outside.length
                    ? `${outside.length} container image${outside.length === 1 ? '' : 's'} come from registries outside registries.allow (${allow.join(', ')})`
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
};

;// CONCATENATED MODULE: ./src/checks/index.ts
/** The reality check's kinds, in report order. Adding a kind: one module, one line here. */










const ASSUMPTION_CHECKS = [
    namespaceCheck,
    apiCheck,
    imageCheck,
    crdCheck,
    operatorCheck,
    permissionCheck,
    quotaCheck,
    storageClassCheck,
    admissionCheck,
    divergenceCheck
];

;// CONCATENATED MODULE: ./src/core/duration.ts
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

;// CONCATENATED MODULE: ./src/plan/budgets.ts
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
            return durationMs(budgets[gate], sizeDefaultMs(plan, gate));
        case 'phase':
            return phaseBudgetMs(plan, opts.phase);
        case 'rollback':
            if (opts.level !== undefined)
                return levelBudgetMs(opts.level);
            return rollbackBudgetMs(plan, opts.phase);
        case 'rollout':
            return durationMs(budgets.rollout, rolloutDefaultMs(plan));
        case 'soak':
            return durationMs(budgets.soak, durationMs(plan.soak?.window, DEFAULT_SOAK_WINDOW_MS) + SOAK_SLACK_MS);
        case 'record':
            return RECORD_BUDGET_MS;
    }
}
/** The budget of one phase: its own `budget`, else `budgets.phase`, else the size default. */
function phaseBudgetMs(plan, phase) {
    return durationMs(phase?.budget ?? plan.budgets?.phase, sizeDefaultMs(plan, 'phase'));
}
/** The budget of a phase's own undo: `budgets.rollback`, else the phase's budget. */
function rollbackBudgetMs(plan, phase) {
    return durationMs(plan.budgets?.rollback, phaseBudgetMs(plan, phase));
}
/** The budget of a rollback level: its own `budget`, else flag 1m, config 5m, code 15m. */
function levelBudgetMs(level) {
    if (typeof level === 'string')
        return LEVEL_BUDGET_MS[level];
    return durationMs(level.budget, LEVEL_BUDGET_MS[level.level]);
}
/** The size-table default of a gate for this plan's size. */
function sizeDefaultMs(plan, gate) {
    const size = plan.budgets?.size ?? DEFAULT_BUDGET_SIZE;
    return SIZE_BUDGET_MINUTES[size][gate] * MINUTE;
}
function rolloutDefaultMs(plan) {
    const holds = (plan.rollout?.stages ?? []).reduce((sum, s) => sum + durationMs(s.hold, 0), 0);
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

// EXTERNAL MODULE: ./src/report/model.ts
var model = __webpack_require__(6867);
;// CONCATENATED MODULE: ./src/gates/reality-check.ts
/** Gate R: every assumption of the plan proven on the live cluster, all kinds concurrently. */





/** Builds the shared context once: discovery and manifests load concurrently. */
async function realityContext(ctx) {
    const cluster = await ctx.cluster();
    const [surface, manifests] = await Promise.all([
        cluster.discover(),
        loadAssumedManifests(ctx.loaded, ctx.settings.workspace)
    ]);
    return {
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
}
const realityCheckGate = {
    name: 'reality-check',
    async run(ctx) {
        const started = ctx.clock.now();
        const rc = await realityContext(ctx);
        const kinds = ASSUMPTION_CHECKS.filter(k => k.applies(rc));
        let done = 0;
        ctx.progress({ gate: 'reality-check', activity: `checking ${kinds.map(k => k.kind).join(', ')}`, done, total: kinds.length });
        const results = await Promise.all(kinds.map(async (k) => {
            let r;
            try {
                r = await k.run(rc);
            }
            catch (err) {
                r = [(0,checks_result/* errorResult */.WG)(k.kind, k.kind, err)];
            }
            done++;
            ctx.progress({ gate: 'reality-check', activity: `${k.kind} checked`, done, total: kinds.length });
            return r;
        }));
        return [
            (0,model/* gateResult */.xp)('reality-check', started, results.flat(), {
                now: ctx.clock.now(),
                budgetMs: budgetMs(ctx.loaded.plan, 'reality-check'),
                details: { discovery: { aggregated: rc.surface.aggregated, requests: rc.surface.requests }, manifests: rc.manifests.length }
            })
        ];
    }
};

;// CONCATENATED MODULE: ./src/kube/apply.ts
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
        const kind = 'object' in o && o.object ? o.object.kind : o.kind;
        const i = INSTALL_ORDER.indexOf(kind);
        return i < 0 ? INSTALL_ORDER.length : i;
    };
    return items.map((o, i) => ({ o, i })).sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i).map(x => x.o);
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
        const info = await cluster.resourceFor(o.apiVersion, o.kind);
        // Unknown kinds (a CRD the same phase installs) are assumed namespaced like most custom resources.
        const namespaced = info ? info.namespaced : o.kind !== 'Namespace' && o.kind !== 'CustomResourceDefinition';
        const withNs = namespaced && !o.metadata.namespace ? { ...o, metadata: { ...o.metadata, namespace } } : o;
        return withRunLabels(withNs, labels);
    }));
}
/** Reads the live state of each object before an apply (undefined where it does not exist). */
async function snapshot(cluster, objects) {
    return Promise.all(objects.map(async (o) => {
        const ref = (0,types/* refOf */.H8)(o);
        let live;
        try {
            live = await cluster.get(ref);
        }
        catch (err) {
            // A kind the server does not serve yet (its CRD comes in this phase) cannot exist yet.
            if (!(err instanceof types/* KubeApiError */.W3 && err.reason === 'NotServed'))
                throw err;
        }
        return {
            ref,
            created: live === undefined,
            before: live ? sanitizeForRestore(live) : undefined,
            kept: isKept(o)
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
        const rec = byKey.get(key((0,types/* refOf */.H8)(o))) ?? { ref: (0,types/* refOf */.H8)(o), created: true, kept: isKept(o) };
        try {
            rec.after = await cluster.apply(o, { dryRun: opts.dryRun });
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
                    ref: (0,types/* refOf */.H8)(o),
                    message: `${(0,types/* describeRef */.Ro)(o)} was rejected: ${(0,core_errors/* errorMessage */.gJ)(err)}`,
                    status: err instanceof types/* KubeApiError */.W3 ? err.status : undefined
                }
            };
        }
    }
    return { applied };
}
/** `apiVersion/kind/namespace/name`, a map key. */
function key(ref) {
    return `${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

;// CONCATENATED MODULE: ./src/cel/cel-error.ts
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
class cel_error_CelError extends Error {
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
    const kind = objectKind(value);
    if (kind === 'optional') {
        const opt = unwrapObject('optional', value);
        return opt.value === undefined ? undefined : fromCelValue(opt.value);
    }
    if (kind)
        return objectDisplay(value);
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
const NONE = wrapObject('optional', '', {}, 'optional.none()');
/** An optional holding `value`. */
function someValue(value) {
    return wrapObject('optional', `some:${valueKey(value)}`, { value }, 'optional');
}
/** The empty optional. */
function noneValue() {
    return NONE;
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
const OPT = OBJECT_TYPES.optional;
const { DYN, BOOL: optional_BOOL, STRING: optional_STRING } = type/* CelScalar */.ZR;
const payload = (v) => unwrapObject('optional', v);
function selectIfPresent(target, key) {
    if (objectKind(target) === 'optional') {
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
    (0,func/* celMethod */.y)('hasValue', OPT, [], optional_BOOL, function () {
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
    (0,func/* celMethod */.y)(OPTIONAL_SELECT, DYN, [optional_STRING], OPT, function (field) {
        return selectIfPresent(this, field);
    }),
    (0,func/* celMethod */.y)(OPTIONAL_INDEX, DYN, [DYN], OPT, function (key) {
        return selectIfPresent(this, key);
    })
];

// EXTERNAL MODULE: ./node_modules/@bufbuild/re2/dist/esm/index.js + 19 modules
var esm = __webpack_require__(2821);
;// CONCATENATED MODULE: ./src/cel/regex.ts
/**
 * Kubernetes' regex library for CEL: `s.find(re)` and `s.findAll(re[, n])`.
 *
 * Patterns are RE2 (Go's regexp), the same syntax `matches` takes. Each pattern is first compiled
 * by @bufbuild/re2, so whatever RE2 rejects (lookaround, backreferences) fails with Go's message;
 * the search itself runs on a JS RegExp translated from the RE2 pattern, because @bufbuild/re2 can
 * only say whether a pattern matches, not where.
 */



const POSIX_CLASSES = {
    alnum: '0-9A-Za-z',
    alpha: 'A-Za-z',
    ascii: '\\x00-\\x7F',
    blank: '\\t ',
    cntrl: '\\x00-\\x1F\\x7F',
    digit: '0-9',
    graph: '!-~',
    lower: 'a-z',
    print: ' -~',
    punct: '!-\\/:-@\\[-`{-~',
    space: '\\t\\n\\v\\f\\r ',
    upper: 'A-Z',
    word: '0-9A-Za-z_',
    xdigit: '0-9A-Fa-f'
};
const RE2_SPACE = '\\t\\n\\f\\r ';
const hex = (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
const isWordChar = (c) => /[0-9A-Za-z_]/.test(c);
function literal(c) {
    if (c.length > 1 || c.charCodeAt(0) > 0x7f)
        return c;
    return isWordChar(c) || c === ' ' ? c : hex(c);
}
function codePoint(n, unicode) {
    if (n <= 0xff)
        return `\\x${n.toString(16).padStart(2, '0')}`;
    if (n <= 0xffff)
        return `\\u${n.toString(16).padStart(4, '0')}`;
    if (!unicode)
        throw new Error('code points above U+FFFF need \\p or a literal character');
    return `\\u{${n.toString(16)}}`;
}
function unicodeClass(name, negated) {
    const category = /^[A-Z][a-z]?$/.test(name) ? name : `Script=${name}`;
    return `\\${negated ? 'P' : 'p'}{${category}}`;
}
/**
 * Translates an RE2 pattern (already validated by RE2) into JS RegExp source and flags.
 * Inline flag groups `(?i)` become scoped modifier groups `(?i:...)` up to the end of their group.
 */
function re2ToJs(pattern) {
    const unicode = /\\[pP]/.test(pattern);
    let out = '';
    // Per open group, the inline flag sets opened inside it that must close with it.
    const pending = [[]];
    let i = 0;
    const closePending = () => {
        const flags = pending[pending.length - 1];
        out += ')'.repeat(flags.length);
        return flags;
    };
    while (i < pattern.length) {
        const c = pattern[i];
        if (c === '\\') {
            const { text, next } = regex_escape(pattern, i, false, unicode);
            out += text;
            i = next;
        }
        else if (c === '[') {
            const { text, next } = charClass(pattern, i, unicode);
            out += text;
            i = next;
        }
        else if (c === '(') {
            const inline = /^\(\?([imsU]*(?:-[imsU]*)?)\)/.exec(pattern.slice(i));
            if (inline) {
                if (inline[1].includes('U'))
                    throw new Error('the U (ungreedy) flag is not supported by find/findAll');
                if (inline[1] !== '' && inline[1] !== '-') {
                    out += `(?${inline[1]}:`;
                    pending[pending.length - 1].push(inline[1]);
                }
                i += inline[0].length;
                continue;
            }
            if (pattern.startsWith('(?P<', i)) {
                out += '(?<';
                i += 4;
            }
            else if (/^\(\?[imsU-]+:/.test(pattern.slice(i))) {
                const end = pattern.indexOf(':', i);
                const flags = pattern.slice(i + 2, end);
                if (flags.includes('U'))
                    throw new Error('the U (ungreedy) flag is not supported by find/findAll');
                out += `(?${flags}:`;
                i = end + 1;
            }
            else {
                out += '(';
                i++;
            }
            pending.push([]);
        }
        else if (c === ')') {
            closePending();
            pending.pop();
            out += ')';
            i++;
        }
        else if (c === '|') {
            // RE2's inline flags reach across `|` to the end of the group: reopen them in each branch.
            const flags = closePending();
            out += '|' + flags.map(f => `(?${f}:`).join('');
            i++;
        }
        else {
            out += c;
            i++;
        }
    }
    closePending();
    return { source: out, flags: unicode ? 'gu' : 'g' };
}
function regex_escape(p, i, inClass, unicode) {
    const c = p[i + 1];
    switch (c) {
        case 'A':
            return { text: '(?<![\\s\\S])', next: i + 2 };
        case 'z':
            return { text: '(?![\\s\\S])', next: i + 2 };
        case 's':
            return { text: inClass ? RE2_SPACE : `[${RE2_SPACE}]`, next: i + 2 };
        case 'S':
            return { text: inClass ? '\\S' : `[^${RE2_SPACE}]`, next: i + 2 };
        case 'a':
            return { text: '\\x07', next: i + 2 };
        case 'Q': {
            const end = p.indexOf('\\E', i + 2);
            const text = p.slice(i + 2, end < 0 ? p.length : end);
            return { text: [...text].map(literal).join(''), next: end < 0 ? p.length : end + 2 };
        }
        case 'C':
            throw new Error('\\C (any byte) is not supported by find/findAll');
        case 'x': {
            const braced = /^\\x\{([0-9A-Fa-f]+)\}/.exec(p.slice(i));
            if (braced)
                return { text: codePoint(parseInt(braced[1], 16), unicode), next: i + braced[0].length };
            return { text: p.slice(i, i + 4), next: i + 4 };
        }
        case 'p':
        case 'P': {
            const braced = /^\\[pP](\{\^?\w+\}|\w)/.exec(p.slice(i));
            if (!braced)
                return { text: p.slice(i, i + 2), next: i + 2 };
            let name = braced[1].replace(/[{}]/g, '');
            let negated = c === 'P';
            if (name.startsWith('^')) {
                name = name.slice(1);
                negated = !negated;
            }
            return { text: unicodeClass(name, negated), next: i + braced[0].length };
        }
    }
    if (c >= '0' && c <= '7') {
        const octal = /^\\([0-7]{1,3})/.exec(p.slice(i));
        if (octal)
            return { text: codePoint(parseInt(octal[1], 8), unicode), next: i + octal[0].length };
    }
    // Escaped punctuation is a literal in RE2; written as \xHH it is one in JS with or without the u flag.
    if (c !== undefined && !isWordChar(c) && c.charCodeAt(0) <= 0x7f)
        return { text: hex(c), next: i + 2 };
    return { text: p.slice(i, i + 2), next: i + 2 };
}
function charClass(p, start, unicode) {
    let i = start + 1;
    let out = '[';
    if (p[i] === '^') {
        out += '^';
        i++;
    }
    // A `]` first in the class is a literal in RE2, an empty class in JS.
    if (p[i] === ']') {
        out += '\\]';
        i++;
    }
    while (i < p.length && p[i] !== ']') {
        const posix = /^\[:(\^?)(\w+):\]/.exec(p.slice(i));
        if (posix) {
            if (posix[1] || !(posix[2] in POSIX_CLASSES))
                throw new Error(`[:${posix[1]}${posix[2]}:] is not supported by find/findAll`);
            out += POSIX_CLASSES[posix[2]];
            i += posix[0].length;
        }
        else if (p[i] === '\\') {
            const { text, next } = regex_escape(p, i, true, unicode);
            out += text;
            i = next;
        }
        else if (p[i] === '[') {
            out += '\\[';
            i++;
        }
        else {
            out += p[i];
            i++;
        }
    }
    return { text: out + ']', next: i + 1 };
}
const compiled = new Map();
const CACHE_LIMIT = 256;
/** An RE2 pattern as a global JS RegExp; throws Go's "error parsing regexp" message for invalid RE2. */
function compileRe2(pattern) {
    const hit = compiled.get(pattern);
    if (hit)
        return hit;
    try {
        esm/* RE2JS */.L3.compile(pattern);
    }
    catch (err) {
        throw new Error(`Illegal regex: ${(0,core_errors/* errorMessage */.gJ)(err)}`, { cause: err });
    }
    const { source, flags } = re2ToJs(pattern);
    const re = new RegExp(source, flags);
    if (compiled.size >= CACHE_LIMIT)
        compiled.delete(compiled.keys().next().value);
    compiled.set(pattern, re);
    return re;
}
/** Go's Regexp.FindAllString: successive non-overlapping matches, no empty match right after a match. */
function findAllMatches(text, pattern, limit = -1) {
    const re = compileRe2(pattern);
    const max = limit < 0 ? text.length + 1 : limit;
    const out = [];
    let pos = 0;
    let prevEnd = -1;
    while (out.length < max && pos <= text.length) {
        re.lastIndex = pos;
        const m = re.exec(text);
        if (!m)
            break;
        const start = m.index;
        const end = start + m[0].length;
        let accept = true;
        if (end === pos) {
            if (start === prevEnd)
                accept = false;
            const cp = text.codePointAt(pos);
            pos += cp === undefined ? 1 : cp > 0xffff ? 2 : 1;
        }
        else
            pos = end;
        prevEnd = end;
        if (accept)
            out.push(m[0]);
    }
    return out;
}
/** Go's Regexp.FindString: the leftmost match, or '' when there is none. */
function findFirstMatch(text, pattern) {
    const re = compileRe2(pattern);
    re.lastIndex = 0;
    return re.exec(text)?.[0] ?? '';
}
const { STRING: regex_STRING, INT: regex_INT } = type/* CelScalar */.ZR;
/** find / findAll, as Kubernetes declares them (library.Regex). */
const regexLibrary = [
    (0,func/* celMethod */.y)('find', regex_STRING, [regex_STRING], regex_STRING, function (pattern) {
        return findFirstMatch(this, pattern);
    }),
    (0,func/* celMethod */.y)('findAll', regex_STRING, [regex_STRING], (0,type/* listType */.Vc)(regex_STRING), function (pattern) {
        return findAllMatches(this, pattern);
    }),
    (0,func/* celMethod */.y)('findAll', regex_STRING, [regex_STRING, regex_INT], (0,type/* listType */.Vc)(regex_STRING), function (pattern, n) {
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
 *    HomogeneousAggregateLiterals). Each error carries the position of the offending node.
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
const ast_TYPE_NAMES = new Set([
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
const ARITHMETIC = new Set(['_+_', '_-_', '_*_', '_/_', '_%_']);
const LITERAL_FUNCTIONS = new Set(['duration', 'timestamp']);
function positionOf(parsed, id) {
    const positions = parsed.sourceInfo?.positions;
    return positions?.[String(id)];
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
        if (!mixedArithmetic && ARITHMETIC.has(call.function) && call.args.length === 2) {
            // What Kubernetes' checker sees without any schema: `1 + 1.0` mixes two literal types.
            const [a, b] = call.args.map(constantKind);
            if ((a === 'int64Value' && b === 'doubleValue') ||
                (a === 'doubleValue' && b === 'int64Value')) {
                return problem(e, `found no matching overload for '${call.function}' applied to '(${KIND_NAMES[a]}, ${KIND_NAMES[b]})': write 2.0 rather than 2`);
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
                    return problem(patternArg, (0,core_errors/* errorMessage */.gJ)(err));
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
                if (scope.has(k.value.name) || ast_TYPE_NAMES.has(k.value.name))
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
    return visit(parsed.expr, new Set(vars));
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

const { INT: numbers_INT, DOUBLE: numbers_DOUBLE } = type/* CelScalar */.ZR;
const OPERATORS = {
    '_+_': (a, b) => a + b,
    '_-_': (a, b) => a - b,
    '_*_': (a, b) => a * b,
    '_/_': (a, b) => a / b
};
/** The `(int, double)` and `(double, int)` overloads of + - * /, computed as doubles. */
const mixedArithmetic = Object.entries(OPERATORS).flatMap(([name, op]) => [
    (0,func/* celFunc */.V)(name, [numbers_INT, numbers_DOUBLE], numbers_DOUBLE, (a, b) => op(Number(a), b)),
    (0,func/* celFunc */.V)(name, [numbers_DOUBLE, numbers_INT], numbers_DOUBLE, (a, b) => op(a, Number(b)))
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
const ipValue = (ip) => wrapObject('ip', ipKey(ip), ip, formatIp(ip));
const cidrText = (c) => `${formatIp(c.addr)}/${c.prefix}`;
const cidrValue = (c) => wrapObject('cidr', `${ipKey(c.addr)}/${c.prefix}`, c, cidrText(c));
const succeeds = (parse) => {
    try {
        parse();
        return true;
    }
    catch {
        return false;
    }
};
const IP = OBJECT_TYPES.ip;
const CIDR = OBJECT_TYPES.cidr;
const { STRING: ip_STRING, BOOL: ip_BOOL, INT: ip_INT } = type/* CelScalar */.ZR;
const getIp = (v) => unwrapObject('ip', v);
const getCidr = (v) => unwrapObject('cidr', v);
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
const preprocess_isDigit = (c) => c !== undefined && c >= '0' && c <= '9';
function tokenize(src) {
    const fail = (message, at) => {
        throw new cel_error_CelError(message, 'syntax', src, at);
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
        if (preprocess_isDigit(c) || (c === '.' && preprocess_isDigit(src[i + 1]) && !afterValue)) {
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
        throw new cel_error_CelError('the expression is empty', 'syntax', source, 0);
    const tokens = tokenize(source);
    const fail = (message, at) => {
        throw new cel_error_CelError(message, 'syntax', source, at);
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

;// CONCATENATED MODULE: ./src/cel/semver.ts
/**
 * Kubernetes' semver library for CEL: `semver(s[, normalize])`, `isSemver(s[, normalize])` and the
 * Semver methods. Parsing and ordering follow github.com/blang/semver/v4, which Kubernetes uses
 * (strict SemVer 2.0.0: no `v`, no leading zeros, build metadata ignored when comparing).
 */


const NUMBERS = /^[0-9]+$/;
const ALPHANUM = /^[0-9A-Za-z-]+$/;
const UINT64_MAX = 2n ** 64n - 1n;
function parseNumber(part, what) {
    if (!NUMBERS.test(part))
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
    if (NUMBERS.test(part)) {
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
const semverValue = (v) => wrapObject('semver', display(v, false), v, display(v));
const S = OBJECT_TYPES.semver;
const { STRING: semver_STRING, BOOL: semver_BOOL, INT: semver_INT } = type/* CelScalar */.ZR;
const semver_get = (v) => unwrapObject('semver', v);
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
        return semver_get(this).major;
    }),
    (0,func/* celMethod */.y)('minor', S, [], semver_INT, function () {
        return semver_get(this).minor;
    }),
    (0,func/* celMethod */.y)('patch', S, [], semver_INT, function () {
        return semver_get(this).patch;
    }),
    (0,func/* celMethod */.y)('isGreaterThan', S, [S], semver_BOOL, function (other) {
        return compareSemver(semver_get(this), semver_get(other)) === 1;
    }),
    (0,func/* celMethod */.y)('isLessThan', S, [S], semver_BOOL, function (other) {
        return compareSemver(semver_get(this), semver_get(other)) === -1;
    }),
    (0,func/* celMethod */.y)('compareTo', S, [S], semver_INT, function (other) {
        return BigInt(compareSemver(semver_get(this), semver_get(other)));
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
        throw new Error(`URL parse error during conversion from string: parse "${raw}": ${(0,core_errors/* errorMessage */.gJ)(err)}`, { cause: err });
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
const U = OBJECT_TYPES.url;
const { STRING: url_STRING, BOOL: url_BOOL } = type/* CelScalar */.ZR;
const url_get = (v) => unwrapObject('url', v);
/** url / isURL and the URL getters, as Kubernetes declares them (library.URLs). */
const urlLibrary = [
    (0,func/* celFunc */.V)('url', [url_STRING], U, s => wrapObject('url', s, parseUrl(s))),
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
 * homogeneous aggregate literals and compile-time checks of regex/duration/timestamp literals.
 * Not here: format, image and authz libraries, two-variable comprehensions, optional list/map
 * entries (`[?x]`, `{?k: v}`), optMap/optFlatMap, schema typing (a field no schema declares is a
 * runtime "no such key", not a compile error) and cost limits.
 * One deliberate difference: int/double arithmetic mixes (numbers.ts); `mixedArithmetic: false`
 * turns it off for rules that must behave exactly as in a ValidatingAdmissionPolicy.
 */















const KUBERNETES_LIBRARY = [
    ...strings/* default */.A,
    ...quantityLibrary,
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
    return new cel_error_CelError(`syntax error: unexpected ${found}${hint}`, 'syntax', source, offset);
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
        throw new cel_error_CelError(problem.message, 'check', source, nodePosition(source, pre, problem.offset));
    }
    let run;
    try {
        run = (0,plan/* plan */.e)(env, parsed);
    }
    catch (err) {
        throw new cel_error_CelError((0,core_errors/* errorMessage */.gJ)(err), 'check', source);
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
        throw new cel_error_CelError((0,core_errors/* errorMessage */.gJ)(err), 'evaluation', compiled.source);
    }
    if ((0,error/* isCelError */.Jr)(result)) {
        const id = result.exprId;
        const name = id === undefined ? undefined : program.identifiers.get(id);
        const unbound = name !== undefined && compiled.vars.includes(name) && !(name in ctx) ? name : undefined;
        const at = nodeOffset(program.parsed, id);
        const offset = nodePosition(compiled.source, program.pre, at);
        throw new cel_error_CelError(runtimeMessage(result.message, unbound), 'evaluation', compiled.source, offset);
    }
    return fromCelValue(result);
}

;// CONCATENATED MODULE: ./src/cel/criteria.ts
/**
 * Evaluating success criteria, thresholds and rules by their source text: compiled programs are
 * cached (a rollout judges the same few expressions every interval), and errors are described
 * for people, with the line and a caret under the column.
 */



const criteria_CACHE_LIMIT = 1000;
const criteria_cache = new Map();
/** A compiled expression from the cache, compiling it on first use. */
function compileCached(source, vars, options = {}) {
    const key = `${options.mixedArithmetic === false ? 'strict' : 'mixed'}\u0000${[...vars].sort().join(',')}\u0000${source}`;
    const hit = criteria_cache.get(key);
    if (hit) {
        // Re-insert so the least recently used entry is the one evicted.
        criteria_cache.delete(key);
        criteria_cache.set(key, hit);
        return hit;
    }
    const compiled = compileExpression(source, vars, options);
    if (criteria_cache.size >= criteria_CACHE_LIMIT)
        criteria_cache.delete(criteria_cache.keys().next().value);
    criteria_cache.set(key, compiled);
    return compiled;
}
/** Evaluates a CEL expression with these bindings; returns a plain JS value, throws CelError. */
function evaluateCel(source, bindings, options = {}) {
    const { vars = Object.keys(bindings), ...compileOptions } = options;
    return evaluate(compileCached(source, vars, compileOptions), bindings);
}
/** Evaluates a condition: the expression must give true or false (CelError otherwise). */
function evaluateCelCondition(source, bindings, options = {}) {
    const result = evaluateCel(source, bindings, options);
    if (typeof result !== 'boolean') {
        const shown = typeof result === 'bigint' ? String(result) : JSON.stringify(result);
        throw new CelError(`the expression must give true or false, but it gave ${shown ?? String(result)}`, 'evaluation', source);
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
    if (!(err instanceof CelError))
        return errorMessage(err);
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

;// CONCATENATED MODULE: ./src/kube/pod-failures.ts
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
    const source = (0,types/* refOf */.H8)(pod);
    const status = rec(pod.status);
    const spec = rec(pod.spec);
    const restartPolicy = pod_failures_str(spec?.restartPolicy) ?? 'Always';
    if (pod.metadata.deletionTimestamp)
        return undefined;
    if (pod_failures_str(status?.phase) === 'Failed') {
        const reason = pod_failures_str(status?.reason) ?? 'PodFailed';
        const message = pod_failures_str(status?.message) ?? describeTerminations(status) ?? 'the Pod failed';
        return { reason, message: `Pod failed: ${message}`, category: 'exit', source };
    }
    const scheduled = findCondition(pod, 'PodScheduled');
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
            const name = pod_failures_str(cs.name) ?? '?';
            const image = pod_failures_str(cs.image) || images.get(name);
            const what = `${init ? 'init container' : 'container'} ${name}`;
            const state = rec(cs.state);
            const waiting = rec(state?.waiting);
            const waitingReason = pod_failures_str(waiting?.reason);
            if (waitingReason && waitingReason in HOPELESS_WAITING_REASONS) {
                const detail = pod_failures_str(waiting?.message);
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
                        reason: pod_failures_str(terminated.reason) ?? 'Error',
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
    const source = (0,types/* refOf */.H8)(obj);
    if (obj.metadata.deletionTimestamp)
        return undefined;
    if (obj.kind === 'ReplicaSet' || obj.kind === 'Deployment') {
        const rf = findCondition(obj, 'ReplicaFailure');
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
        const p = findCondition(obj, 'Progressing');
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
        const f = findCondition(obj, 'Failed');
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
        const key = pod_failures_str(e?.key);
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
            const revision = pod_failures_str(rec(workload.status)?.updateRevision);
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
            const name = pod_failures_str(r?.name);
            const image = pod_failures_str(r?.image);
            if (name && image)
                images.set(name, image);
        }
    }
    return images;
}
function describeTermination(t) {
    const reason = pod_failures_str(t.reason);
    const message = pod_failures_str(t.message);
    return `exited with code ${num(t.exitCode) ?? '?'}${reason ? ` (${reason})` : ''}${message ? `: ${message}` : ''}`;
}
function describeTerminations(status) {
    const statuses = status?.containerStatuses;
    for (const raw of Array.isArray(statuses) ? statuses : []) {
        const t = rec(rec(rec(raw)?.state)?.terminated);
        if (t && num(t.exitCode) !== 0)
            return `container ${pod_failures_str(rec(raw)?.name)} ${describeTermination(t)}`;
    }
    return undefined;
}
function rec(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v)
        ? v
        : undefined;
}
function pod_failures_str(v) {
    return typeof v === 'string' ? v : undefined;
}
function num(v) {
    return typeof v === 'number' ? v : undefined;
}

;// CONCATENATED MODULE: ./src/kube/wait.ts
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
        return { failed: podFailure(obj)?.message ?? 'Pod failed' };
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
    return (err instanceof types/* KubeApiError */.W3 &&
        !err.transport &&
        [400, 401, 403, 405, 406, 415, 422].includes(err.status));
}
function isGone(err) {
    return err instanceof types/* KubeApiError */.W3 && err.status === 410;
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
        this.clock = opts.clock ?? systemClock;
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
        void this.start().catch(err => this.finish('error', undefined, (0,core_errors/* errorMessage */.gJ)(err)));
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
            this.finish('error', undefined, `deciding readiness failed: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
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
            e.status = computeStatus(obj, { now });
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
            return podFailure(obj, podOpts);
        if (!POD_OWNER_KINDS.has(obj.kind))
            return undefined;
        const own = workloadFailure(obj);
        if (own)
            return own;
        const selector = labelSelectorOf(obj);
        if (!selector)
            return undefined;
        const namespace = obj.metadata.namespace;
        const pods = this.informer({ apiVersion: 'v1', kind: 'Pod', namespace, labelSelector: selector }, false);
        let replicaSets = [];
        if (obj.kind === 'Deployment') {
            const rsInformer = this.informer({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace, labelSelector: selector }, false);
            replicaSets = [...rsInformer.store.values()];
            const rs = currentReplicaSet(obj, replicaSets);
            const rsCause = rs && workloadFailure(rs);
            if (rsCause)
                return rsCause;
        }
        for (const pod of currentPods(obj, pods.store.values(), replicaSets)) {
            const cause = podFailure(pod, podOpts);
            // A controller replaces a Pod that merely ended; only causes that recur count.
            if (cause && cause.category !== 'exit')
                return cause;
        }
        return undefined;
    }
    finish(result, failure, errorText) {
        if (this.finished)
            return;
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
        const took = formatDuration(durationMs);
        const pending = objects
            .filter(o => o.state !== 'done')
            .map(o => `${(0,types/* describeRef */.Ro)(o.ref)} ${o.status.status}: ${o.status.message}`);
        switch (result) {
            case 'done':
                return `${objects.length} object${objects.length === 1 ? '' : 's'} ready after ${took}`;
            case 'failed':
                return `${(0,types/* describeRef */.Ro)(failure?.ref ?? objects[0].ref)} failed after ${took}: ${failure?.reason ?? 'Failed'}: ${failure?.message ?? ''}`;
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
                    throw new types/* KubeApiError */.W3(errorEvent, 500, 'WatchError');
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
                    this.lastError = (0,core_errors/* errorMessage */.gJ)(err);
                    this.deps.onFatal((0,core_errors/* errorMessage */.gJ)(err));
                    return;
                }
                else {
                    this.lastError = (0,core_errors/* errorMessage */.gJ)(err);
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
            return untilCurrent(obj, ctx);
        if ('phase' in c) {
            const phase = obj.status?.phase;
            if (phase === c.phase)
                return 'done';
            if (phase === 'Failed' && c.phase !== 'Failed')
                return { failed: `phase is Failed, expected ${c.phase}` };
            return 'pending';
        }
        if ('condition' in c) {
            const cond = findCondition(obj, c.condition);
            return cond?.status === (c.status ?? 'True') ? 'done' : 'pending';
        }
        try {
            const v = evaluateCel(c.cel, { object: obj });
            last = v === true ? undefined : `${c.cel} evaluated to ${JSON.stringify(v)}`;
            return v === true ? 'done' : 'pending';
        }
        catch (err) {
            // A field not set yet (status still empty) is "not yet", not a failure.
            last = `${c.cel}: ${(0,core_errors/* errorMessage */.gJ)(err)}`;
            return 'pending';
        }
    };
    return { until, lastError: () => last };
}

;// CONCATENATED MODULE: ./src/kube/evidence.ts
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
    const ref = await evidence_withNamespace(cluster, 'metadata' in target ? (0,types/* refOf */.H8)(target) : target);
    let obj;
    try {
        obj = await cluster.get(ref);
    }
    catch (err) {
        notes.push(`could not read ${(0,types/* describeRef */.Ro)(ref)}: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
        // A passed object that came from the cluster (it has a uid) is the best left.
        if ('metadata' in target && target.metadata.uid)
            obj = target;
    }
    const evidence = {
        ref,
        found: obj !== undefined,
        status: computeStatus(obj, { now: o.now }),
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
    else if (POD_OWNER_KINDS.has(obj.kind)) {
        const selector = labelSelectorOf(obj);
        const namespace = obj.metadata.namespace;
        let replicaSets = [];
        if (selector && obj.kind === 'Deployment') {
            replicaSets = await listOrNote(cluster, 'apps/v1', 'ReplicaSet', namespace, selector, notes);
            const rs = currentReplicaSet(obj, replicaSets);
            if (rs) {
                evidence.replicaSet = {
                    ref: (0,types/* refOf */.H8)(rs),
                    status: computeStatus(rs, { now: o.now }),
                    conditions: safeConditions(rs),
                    events: await eventsOf(cluster, rs, o.maxEvents, notes)
                };
            }
            evidence.failure ??= rs && workloadFailure(rs);
        }
        if (selector) {
            const listed = await listOrNote(cluster, 'v1', 'Pod', namespace, selector, notes);
            pods = currentPods(obj, listed, replicaSets);
        }
    }
    evidence.failure = workloadFailure(obj) ?? evidence.failure;
    const ranked = pods
        .map(p => ({ pod: p, failure: podFailure(p, { now: o.now }), rank: evidence_rank(p) }))
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
        lines.push(`${(0,types/* describeRef */.Ro)(e.ref)}: not found`);
    }
    else {
        lines.push(`${(0,types/* describeRef */.Ro)(e.ref)}: ${status(e.status)}`);
        if (e.failure)
            lines.push(`  cause: ${e.failure.reason}: ${e.failure.message}`);
        pushConditions(lines, e.conditions);
        pushEvents(lines, e.events);
    }
    if (e.replicaSet) {
        lines.push(`${(0,types/* describeRef */.Ro)(e.replicaSet.ref)}: ${status(e.replicaSet.status)}`);
        pushConditions(lines, e.replicaSet.conditions);
        pushEvents(lines, e.replicaSet.events);
    }
    for (const p of e.pods) {
        // The Pod itself was the object: its header is already out.
        const same = p.ref.kind === e.ref.kind && p.ref.name === e.ref.name;
        if (!same) {
            lines.push(`${(0,types/* describeRef */.Ro)(p.ref)} (phase ${p.phase ?? 'unknown'}, node ${p.node ?? 'none'}): ${status(p.status)}`);
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
    return (0,secrets/* redact */.E$)(lines.join('\n'));
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
async function evidence_withNamespace(cluster, ref) {
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
        return conditionsOf(obj);
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
        notes.push(`could not list ${kind}s (${labelSelector}): ${(0,core_errors/* errorMessage */.gJ)(err)}`);
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
        notes.push(`could not list events of ${(0,types/* describeRef */.Ro)(obj)}: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
        return [];
    }
    const summaries = items.map(e => {
        const series = evidence_rec(e.series);
        const source = evidence_rec(e.source);
        return {
            type: evidence_str(e.type) ?? 'Normal',
            reason: evidence_str(e.reason) ?? '',
            message: (evidence_str(e.message) ?? '').trim(),
            count: evidence_num(e.count) ?? evidence_num(series?.count) ?? 1,
            lastSeen: evidence_str(e.lastTimestamp) ??
                evidence_str(series?.lastObservedTime) ??
                evidence_str(e.eventTime) ??
                evidence_str(e.firstTimestamp) ??
                e.metadata.creationTimestamp,
            source: evidence_str(source?.component) ?? evidence_str(e.reportingComponent) ?? undefined
        };
    });
    summaries.sort((a, b) => (a.lastSeen ?? '').localeCompare(b.lastSeen ?? ''));
    return summaries.slice(-max);
}
/** Failing Pods first, then not-ready ones, then the rest. */
function evidence_rank(pod) {
    if (podFailure(pod))
        return 0;
    const s = computeStatus(pod);
    return s.status === 'Current' ? 2 : 1;
}
async function podEvidence(cluster, pod, failure, o, notes) {
    const status = evidence_rec(pod.status);
    const spec = evidence_rec(pod.spec);
    const conditions = safeConditions(pod);
    const scheduled = conditions.find(c => c.type === 'PodScheduled');
    const images = new Map();
    for (const key of ['initContainers', 'containers']) {
        for (const c of arr(spec?.[key])) {
            const r = evidence_rec(c);
            if (evidence_str(r?.name) && evidence_str(r?.image))
                images.set(evidence_str(r?.name), evidence_str(r?.image));
        }
    }
    const containers = [];
    for (const [key, init] of [
        ['initContainerStatuses', true],
        ['containerStatuses', false]
    ]) {
        for (const raw of arr(status?.[key])) {
            const cs = evidence_rec(raw);
            if (!cs)
                continue;
            const name = evidence_str(cs.name) ?? '?';
            const state = evidence_rec(cs.state);
            const waiting = evidence_rec(state?.waiting);
            const running = evidence_rec(state?.running);
            const terminated = evidence_rec(state?.terminated);
            const last = evidence_rec(evidence_rec(cs.lastState)?.terminated);
            const c = {
                name,
                init,
                image: evidence_str(cs.image) || images.get(name),
                ready: cs.ready === true,
                restartCount: evidence_num(cs.restartCount) ?? 0,
                state: waiting ? 'waiting' : running ? 'running' : terminated ? 'terminated' : 'unknown',
                reason: evidence_str(waiting?.reason) ?? evidence_str(terminated?.reason),
                message: evidence_str(waiting?.message) ?? evidence_str(terminated?.message),
                exitCode: evidence_num(terminated?.exitCode),
                lastTermination: last
                    ? { exitCode: evidence_num(last.exitCode), reason: evidence_str(last.reason), message: evidence_str(last.message) }
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
                        notes.push(`no logs of ${pod.metadata.name}/${name}: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
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
        ref: (0,types/* refOf */.H8)(pod),
        phase: evidence_str(status?.phase),
        node: evidence_str(spec?.nodeName),
        status: computeStatus(pod, { now: o.now }),
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
        return (0,secrets/* redact */.E$)(value);
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
function evidence_rec(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v)
        ? v
        : undefined;
}
function arr(v) {
    return Array.isArray(v) ? v : [];
}
function evidence_str(v) {
    return typeof v === 'string' ? v : undefined;
}
function evidence_num(v) {
    return typeof v === 'number' ? v : undefined;
}

;// CONCATENATED MODULE: ./src/kube/state-record.ts
/**
 * State that must outlive a job lives in the target cluster: a ConfigMap
 * `phase-gate-<plan>` for the small index (deployment state, its history, the
 * last runs, the last known-good version) and a Secret
 * `phase-gate-<plan>-<run>` per run for what may hold secret data (the live
 * objects recorded before a phase, ConfigMaps and Secrets among them).
 */


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
        this.indexName = dnsName(`phase-gate-${plan}`, 253);
    }
    /** Name of a run's Secret. */
    runSecretName(runId) {
        return dnsName(`phase-gate-${this.plan}-${runId}`, 253);
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
                    labels: { [LABEL_MANAGED_BY]: 'phase-gate', [LABEL_PLAN]: labelValue(this.plan) },
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
                const conflict = err instanceof types/* KubeApiError */.W3 && (err.status === 409 || err.reason === 'AlreadyExists');
                if (!conflict || attempt >= 8)
                    throw err;
            }
        }
    }
    /** Moves the deployment to a new state, keeping the transition in its history. */
    async transition(state, runId, reason) {
        return this.updateIndex(index => {
            const at = new Date().toISOString();
            if (index.state !== state)
                index.stateSince = at;
            index.state = state;
            index.history.push({ state, at, runId, reason });
        });
    }
    /** Writes (creates or updates) one phase's record into the run's Secret. */
    async writePhase(rec) {
        await this.writeRunData(rec.runId, `phase.${dnsName(rec.phase, 200)}.json`, JSON.stringify(rec));
    }
    /** The record of one phase in one run, if written. */
    async readPhase(runId, phase) {
        const text = await this.readRunData(runId, `phase.${dnsName(phase, 200)}.json`);
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
                labels: { [LABEL_MANAGED_BY]: 'phase-gate', [LABEL_PLAN]: labelValue(this.plan), [LABEL_RUN]: labelValue(runId) }
            },
            type: 'Opaque',
            data: { [key]: Buffer.from(value).toString('base64') }
        }, 
        // One field manager per key, so applying one key never drops another.
        { fieldManager: `phase-gate-${dnsName(key, 100)}`.slice(0, 128) });
    }
    /** Deletes run Secrets beyond the newest `keepRuns` runs of the index. */
    async pruneRuns() {
        const index = await this.readIndex();
        const keep = new Set(index.runs.slice(-this.keepRuns).map(r => this.runSecretName(r.runId)));
        const { items } = await this.cluster.list('v1', 'Secret', {
            namespace: this.namespace,
            labelSelector: `${LABEL_MANAGED_BY}=phase-gate,${LABEL_PLAN}=${labelValue(this.plan)}`
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
        return parseManifests(t.manifest.inline, `${loaded.displayFile}:${loc.line} (tracers[${index}].manifest.inline)`).map(m => m.object);
    }
    if (!t.manifest.file)
        throw new core_errors/* UsageError */.eb(`tracers[${index}] (${t.name}): manifest needs file or inline`);
    const files = await expandManifestPaths(loaded, [t.manifest.file], `tracers[${index}].manifest.file`);
    return (await loadManifestFiles(loaded, files, workspace)).map(m => m.object);
}
/** Deletes objects and waits until they are gone; never throws. */
async function cleanupObjects(cluster, refs, ctx) {
    if (refs.length === 0)
        return { ok: true, message: 'nothing to clean up' };
    // Its own deadline and no cancellation signal: a cancelled run must still clean up.
    try {
        await Promise.all(refs.map(r => cluster.delete(r, { propagationPolicy: 'Foreground' })));
        const gone = await waitForGone(cluster, refs, { timeoutMs: CLEANUP_TIMEOUT_MS, clock: ctx.clock });
        if (gone.result === 'done')
            return { ok: true, message: `cleaned up: ${refs.map(types/* describeRef */.Ro).join(', ')} gone` };
        return { ok: false, message: `cleanup incomplete: ${gone.message}` };
    }
    catch (err) {
        ctx.log.warn(`tracer cleanup: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
        return { ok: false, message: `cleanup failed: ${(0,core_errors/* errorMessage */.gJ)(err)}` };
    }
}
/** Removes every tracer object of a run still in the cluster (the post step and signal handlers call it). */
async function cleanupRunTracers(cluster, plan, runId, namespace, kinds, ctx) {
    const selector = runSelector(plan, runId, 'tracer');
    const found = [];
    for (const k of kinds) {
        try {
            const { items } = await cluster.list(k.apiVersion, k.kind, { namespace, labelSelector: selector });
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
    const timeoutMs = durationMs(t.timeout, DEFAULT_TIMEOUT_MS);
    const cluster = await ctx.cluster();
    const raw = await tracerObjects(ctx.loaded, t, index, ctx.settings.workspace);
    if (raw.length === 0)
        throw new core_errors/* UsageError */.eb(`tracer ${t.name}: its manifest holds no object`);
    const objects = await prepareObjects(cluster, raw, ctx.namespace, { plan: ctx.loaded.plan.name, run: ctx.runId, role: 'tracer', unit: t.name });
    const refs = objects.map(types/* refOf */.H8);
    const record = new StateRecord(cluster, ctx.loaded.plan.name, ctx.namespace);
    // Written before the apply, so a post step after a kill knows which kinds to sweep.
    await record
        .writeRunData(ctx.runId, `tracer.${t.name}.json`, JSON.stringify({ refs, at: new Date(started).toISOString() }))
        .catch(err => ctx.log.debug(`could not record tracer ${t.name}: ${(0,core_errors/* errorMessage */.gJ)(err)}`));
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
            message: `tracer ${t.name} could not run: ${(0,core_errors/* errorMessage */.gJ)(err)}`,
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
        ctx.progress({ gate: 'tracer', activity: `${t.name}: applying ${refs.map(types/* describeRef */.Ro).join(', ')}` });
        for (const o of objects) {
            if (ctx.signal.aborted)
                break;
            try {
                await cluster.apply(o, { dryRun: ctx.settings.dryRun });
            }
            catch (err) {
                return (0,checks_result/* checkResult */.iJ)('tracer', t.name, {
                    verdict: 'fail',
                    message: `${(0,types/* describeRef */.Ro)(o)} was rejected by the cluster: ${(0,core_errors/* errorMessage */.gJ)(err)}`,
                    evidence: (0,core_errors/* errorMessage */.gJ)(err),
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
        ctx.progress({ gate: 'tracer', activity: `${t.name}: waiting for ${describeCriterion(criterion)} of ${(0,types/* describeRef */.Ro)(main)}` });
        const isMain = (r) => r.kind === main.kind && r.name === main.name;
        const outcome = await waitForObjects(cluster, refs, {
            timeoutMs,
            signal: ctx.signal,
            clock: ctx.clock,
            failFast: true,
            // The criterion judges the tracer's main object (the last); the others must only exist.
            until: (obj, wctx) => (isMain(wctx.ref) ? decision.until(obj, wctx) : obj ? 'done' : 'pending')
        });
        if (outcome.result === 'done') {
            const readyAfter = outcome.objects.find(o => isMain(o.ref))?.readyAfterMs ?? outcome.durationMs;
            return (0,checks_result/* checkResult */.iJ)('tracer', t.name, {
                verdict: 'pass',
                message: `${main.kind} ${main.name} ${describeCriterion(criterion)} in ${formatDuration(readyAfter)}`,
                location,
                data: { assumption: t.assumption, readyAfterMs: readyAfter }
            });
        }
        const ev = await collectEvidence(cluster, main).then(formatEvidence, err => `evidence unavailable: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
        return (0,checks_result/* checkResult */.iJ)('tracer', t.name, {
            verdict: outcome.result === 'cancelled' ? 'cancelled' : outcome.result === 'error' ? 'error' : 'fail',
            message: outcome.failure ? `${outcome.failure.reason}: ${outcome.failure.message}` : outcome.message,
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
            throw new core_errors/* UsageError */.eb(`no tracer named "${ctx.settings.tracer}"; tracers: ${all.map(t => t.name).join(', ') || 'none'}`);
        const checks = [];
        // One at a time: each bullet proves one assumption, and evidence stays readable.
        for (const t of selected) {
            if (ctx.signal.aborted) {
                checks.push((0,checks_result/* checkResult */.iJ)('tracer', t.name, { verdict: 'cancelled', message: 'not fired: the run was cancelled' }));
                continue;
            }
            checks.push(await fireTracer(ctx, t, all.indexOf(t)));
        }
        return [
            (0,model/* gateResult */.xp)('tracer', started, checks, {
                now: ctx.clock.now(),
                name: ctx.settings.tracer,
                budgetMs: budgetMs(ctx.loaded.plan, 'tracer'),
                notes: selected.length === 0 ? ['the plan has no tracers'] : undefined
            })
        ];
    }
};

;// CONCATENATED MODULE: ./src/checks/validation.ts
/**
 * Validation checks (the kinds a phase's `validate`, `validation.checks` and
 * rollout `infra` steps use): one module per kind, picked by the spec's key.
 */

const validation_registry = new Map();
/** Registers a validation check kind (each kind's module calls this once). */
function registerValidation(check) {
    validation_registry.set(check.key, check);
}
/** The kinds registered so far. */
function validationKinds() {
    return [...validation_registry.keys()];
}
/** Runs one check spec; a kind not known (or not built yet) is an error result, not a crash. */
async function runValidation(spec, ctx, location) {
    const key = Object.keys(spec)[0];
    const body = spec[key];
    const check = validation_registry.get(key);
    if (!check)
        return (0,checks_result/* checkResult */.iJ)(key, key, {
            verdict: 'error',
            message: `check kind "${key}" is not available in this version of phase-gate (available: ${validationKinds().join(', ')})`,
            location
        });
    const [r] = await (0,checks_result/* timed */.ay)(key, check.target(body), () => check.run(body, ctx, location), location);
    return r;
}
/** Runs a list of checks concurrently, each located at `basePath[i]` in the plan. */
async function runValidations(specs, ctx, basePath) {
    return Promise.all(specs.map((s, i) => runValidation(s, ctx, ctx.loaded.locate([...basePath, i]))));
}

;// CONCATENATED MODULE: ./src/checks/ready.ts
/** `ready: {kind, name}`: the object is Current by kstatus within the time left. */






/** Finds the apiVersion of a kind: from what the phase applied, else the preferred served version. */
async function resolveRef(spec, ctx, cluster) {
    const namespace = spec.namespace ?? ctx.namespace;
    if (spec.apiVersion)
        return { apiVersion: spec.apiVersion, kind: spec.kind, name: spec.name, namespace };
    const applied = ctx.applied?.find((o) => o.kind === spec.kind && o.metadata.name === spec.name);
    if (applied)
        return { apiVersion: applied.apiVersion, kind: spec.kind, name: spec.name, namespace: applied.metadata.namespace ?? namespace };
    const surface = await cluster.discover();
    const candidates = surface.resources.filter(r => r.kind === spec.kind);
    if (candidates.length === 0)
        return undefined;
    const preferred = candidates.find(r => surface.groups.get(r.group)?.preferred === r.version) ?? candidates[0];
    return { apiVersion: (0,types/* joinApiVersion */.fJ)(preferred.group, preferred.version), kind: spec.kind, name: spec.name, namespace: preferred.namespaced ? namespace : undefined };
}
registerValidation({
    key: 'ready',
    target: s => `${s.kind}/${s.name}`,
    async run(spec, ctx, location) {
        const cluster = await ctx.cluster();
        const ref = await resolveRef(spec, ctx, cluster);
        const target = `${spec.kind}/${spec.name}`;
        if (!ref)
            return (0,checks_result/* checkResult */.iJ)('ready', target, {
                verdict: 'fail',
                message: `the cluster serves no kind ${spec.kind}`,
                adjustment: 'give apiVersion in the check, or install the CRD first',
                location
            });
        const left = ctx.deadline ? Math.max(0, ctx.deadline - ctx.clock.now()) : 60_000;
        const timeoutMs = Math.min(durationMs(spec.timeout, left), left || durationMs(spec.timeout, 60_000));
        const outcome = await waitForObjects(cluster, [ref], { timeoutMs, signal: ctx.signal, clock: ctx.clock, failFast: true });
        if (outcome.result === 'done')
            return (0,checks_result/* checkResult */.iJ)('ready', target, {
                verdict: 'pass',
                message: `${spec.kind} ${spec.name} is ready (${outcome.objects[0]?.status.message || 'Current'})`,
                location
            });
        const evidence = await collectEvidence(cluster, ref).then(formatEvidence, () => undefined);
        return (0,checks_result/* checkResult */.iJ)('ready', target, {
            verdict: outcome.result === 'cancelled' ? 'cancelled' : outcome.result === 'error' ? 'error' : 'fail',
            message: outcome.message,
            evidence,
            location
        });
    }
});

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
registerValidation({
    key: 'http',
    target: s => s.url ?? `${s.service}:${s.port ?? 80}${s.path ?? '/'}`,
    async run(spec, ctx, location) {
        const target = spec.url ?? `${spec.service}:${spec.port ?? 80}${spec.path ?? '/'}`;
        const timeoutMs = durationMs(spec.timeout, 10_000);
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
            return (0,checks_result/* checkResult */.iJ)('http', target, {
                verdict: 'fail',
                message: `no answer from ${target}: ${(0,core_errors/* errorMessage */.gJ)(err)}`,
                adjustment: spec.url ? 'check the URL is reachable from the runner' : 'check the Service has ready endpoints (kubectl get endpointslices)',
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
            const ok = evaluateCel(spec.expect.cel, { status: res.status, body: res.body, json, headers: res.headers });
            if (ok !== true)
                problems.push(`${spec.expect.cel} is ${String(ok)}`);
        }
        const evidence = `HTTP ${res.status} in ${res.durationMs} ms\n${res.body.slice(0, 500)}`;
        return (0,checks_result/* checkResult */.iJ)('http', target, {
            verdict: problems.length ? 'fail' : 'pass',
            message: problems.length ? `${target}: ${problems.join('; ')}` : `${target} answered ${res.status} in ${res.durationMs} ms`,
            evidence: problems.length ? evidence : undefined,
            data: { status: res.status, durationMs: res.durationMs },
            location
        });
    }
});

;// CONCATENATED MODULE: ./src/checks/command.ts
/** `command`: runs an argv (no shell unless asked) with a timeout; judged on exit code and an output pattern. */



/** The last lines of a text, for evidence. */
function tail(text, lines = 20) {
    return text.trimEnd().split('\n').slice(-lines).join('\n');
}
registerValidation({
    key: 'command',
    target: s => s.run.join(' ').slice(0, 80),
    async run(spec, ctx, location) {
        const target = spec.run.join(' ').slice(0, 80);
        const timeoutMs = durationMs(spec.timeout, 60_000);
        const r = await ctx.exec.run(spec.run, {
            shell: spec.shell,
            cwd: spec.cwd ? `${ctx.loaded.dir}/${spec.cwd}` : ctx.loaded.dir,
            env: { ...spec.env, PHASE_GATE_NAMESPACE: ctx.namespace, PHASE_GATE_RUN_ID: ctx.runId },
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
        if (!r.spawnError && spec.expect?.output && !new RegExp(spec.expect.output, 'm').test(r.stdout + r.stderr))
            problems.push(`output does not match /${spec.expect.output}/`);
        return (0,checks_result/* checkResult */.iJ)('command', target, {
            verdict: problems.length ? 'fail' : 'pass',
            message: problems.length ? problems.join('; ') : `exit ${r.exitCode} in ${r.durationMs} ms`,
            evidence: problems.length ? [r.stderr && `stderr:\n${tail(r.stderr)}`, r.stdout && `stdout:\n${tail(r.stdout)}`].filter(Boolean).join('\n') : undefined,
            data: { exitCode: r.exitCode, durationMs: r.durationMs },
            location
        });
    }
});

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
                        found[name] = `${kind === 'secretKeyRef' ? 'Secret' : 'ConfigMap'} ${ref.name}[${ref.key}]`;
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
registerValidation({
    key: 'env',
    target: s => s.selector,
    async run(spec, ctx, location) {
        const cluster = await ctx.cluster();
        const namespace = spec.namespace ?? ctx.namespace;
        const { items: pods } = await cluster.list('v1', 'Pod', { namespace, labelSelector: spec.selector });
        const live = pods.filter(p => !p.metadata.deletionTimestamp);
        if (live.length === 0)
            return (0,checks_result/* checkResult */.iJ)('env', spec.selector, {
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
                    const keys = { ...(o.data ?? {}), ...(o.binaryData ?? {}) };
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
        return (0,checks_result/* checkResult */.iJ)('env', spec.selector, {
            verdict: missingLines.length ? 'fail' : 'pass',
            message: missingLines.length
                ? `${missingLines.length} container${missingLines.length === 1 ? '' : 's'} lack required variables`
                : `${spec.require.join(', ')} set in every container of ${live.length} pod${live.length === 1 ? '' : 's'}`,
            evidence: missingLines.length ? missingLines.slice(0, 20).join('\n') : undefined,
            adjustment: missingLines.length ? 'set the variables in the pod template, from a Secret with secretKeyRef for credentials' : undefined,
            location
        });
    }
});
function podName(p) {
    return p.metadata.name;
}

;// CONCATENATED MODULE: ./src/github/api-error.ts
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
    const clock = opts.clock ?? systemClock;
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
        if (!(err instanceof GitHubApiError) || (err.status !== 403 && err.status !== 404))
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
    const clock = opts.clock ?? systemClock;
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
            message: `could not read pull request #${opts.pullNumber}: ${(0,secrets/* redact */.E$)((0,core_errors/* errorMessage */.gJ)(err))}`,
            adjustment: 'Give the job a token that can read pull requests and checks (`permissions: pull-requests: read, checks: read, statuses: read`).',
            durationMs: Math.max(0, clock.now() - started),
            retries: err instanceof GitHubApiError ? err.attempts - 1 : undefined
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
registerValidation({
    key: 'pullRequest',
    target: () => TARGET,
    async run(spec, ctx, location) {
        const gh = ctx.github;
        if (!gh)
            return (0,checks_result/* checkResult */.iJ)('pullRequest', TARGET, {
                verdict: 'skip',
                message: 'skipped: no GitHub context (the pull-request check reads the PR through the GitHub API, which a run outside GitHub Actions has not got)',
                adjustment: 'run it in a workflow on a pull_request event, with permissions pull-requests: read, checks: read, statuses: read',
                location
            });
        if (gh.pullNumber === undefined)
            return (0,checks_result/* checkResult */.iJ)('pullRequest', TARGET, {
                verdict: 'skip',
                message: `skipped: this run of ${gh.repo.owner}/${gh.repo.repo} belongs to no pull request (not a pull_request event)`,
                adjustment: 'put the check in a job that runs on pull_request, or drop it from gates that run after the merge',
                location
            });
        const r = await checkPullRequest(gh, { pullNumber: gh.pullNumber, sha: gh.headSha, clock: ctx.clock }, spec ?? {});
        return { ...r, location };
    }
});

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
    kubectl: { args: ['version', '--client', '-o', 'json'], parse: o => jsonField(o, ['clientVersion', 'gitVersion']) ?? firstVersion(o) },
    oc: {
        args: ['version', '--client', '-o', 'json'],
        parse: o => jsonField(o, ['releaseClientVersion']) ?? jsonField(o, ['clientVersion', 'gitVersion']) ?? firstVersion(o)
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
registerValidation({
    key: 'tools',
    target: s => Object.keys(s).join(','),
    async run(spec, ctx, location) {
        const target = Object.keys(spec).join(',');
        const findings = await Promise.all(Object.entries(spec).map(async ([tool, range]) => {
            const probe = probeFor(tool);
            const command = [tool, ...probe.args].join(' ');
            const matches = parseRange(range);
            if (!matches)
                return { tool, range, command, outcome: 'bad-range', detail: `the range "${range}" does not parse (write e.g. ">=1.30", "^3.14", ">=1.2 <2")` };
            let r;
            try {
                r = await ctx.exec.run([tool, ...probe.args], { cwd: ctx.loaded.dir, timeoutMs: TOOL_TIMEOUT_MS, signal: ctx.signal });
            }
            catch (err) {
                return { tool, range, command, outcome: 'missing', detail: (0,core_errors/* errorMessage */.gJ)(err) };
            }
            if (r.spawnError)
                return { tool, range, command, outcome: 'missing', detail: r.spawnError };
            const text = probe.parse(r.stdout, r.stderr);
            const version = text ? parseVersion(text) : undefined;
            if (!text || !version) {
                const said = tail(r.stderr || r.stdout, 5);
                return {
                    tool,
                    range,
                    command,
                    outcome: 'unreadable',
                    exitCode: r.exitCode,
                    detail: r.timedOut ? `timed out after ${TOOL_TIMEOUT_MS / 1000}s` : `exit ${r.exitCode}${said ? `: ${said}` : ', no output'}`
                };
            }
            return { tool, range, command, version: text, exitCode: r.exitCode, outcome: matches(version) ? 'ok' : 'too-old' };
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
        return (0,checks_result/* checkResult */.iJ)('tools', target, {
            verdict: bad.some(f => f.outcome === 'bad-range') && bad.every(f => f.outcome === 'bad-range') ? 'error' : bad.length ? 'fail' : 'pass',
            message: bad.length
                ? bad.map(line).join('; ')
                : `${findings.map(f => `${f.tool} ${f.version}`).join(', ')} satisfy ${findings.map(f => `${f.tool} ${f.range}`).join(', ')}`,
            evidence: findings.map(f => `${f.outcome === 'ok' ? 'ok  ' : 'FAIL'} ${line(f)}`).join('\n'),
            adjustment: fixes.length ? fixes.join('; ') : bad.length ? 'fix the ranges in the plan, or make the tools print their version' : undefined,
            data: { tools: Object.fromEntries(findings.map(f => [f.tool, { range: f.range, version: f.version, outcome: f.outcome, command: f.command }])) },
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
registerValidation({
    key: 'migration',
    target: s => s.up.join(' ').slice(0, 80),
    async run(spec, ctx, location) {
        const target = spec.up.join(' ').slice(0, 80);
        const stepTimeout = durationMs(spec.timeout, DEFAULT_STEP_TIMEOUT_MS);
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
                stderrTail: tail(r.stderr || r.stdout, 10)
            };
            steps.push(outcome);
            if (!ok(outcome) || ctx.signal.aborted)
                break;
        }
        const failed = steps.find(s => !ok(s));
        const total = steps.reduce((n, s) => n + s.durationMs, 0);
        const how = (s) => s.spawnError ? `could not start: ${s.spawnError}` : s.timedOut ? `timed out after ${formatDuration(s.durationMs)}` : `exit ${s.exitCode}`;
        const evidence = steps
            .map(s => [`${ok(s) ? 'ok  ' : 'FAIL'} ${s.step}: ${how(s)} in ${formatDuration(s.durationMs)} (${s.command})`, s.stderrTail && indent(s.stderrTail)].filter(Boolean).join('\n'))
            .join('\n');
        const cancelled = ctx.signal.aborted && steps.length < MIGRATION_STEPS.length;
        return (0,checks_result/* checkResult */.iJ)('migration', target, {
            verdict: cancelled ? 'cancelled' : failed ? 'fail' : 'pass',
            message: failed
                ? `migration ${failed.step} failed (${how(failed)})${failed.step === 'up' ? '' : ` after ${steps.filter(ok).map(s => s.step).join(', ')} succeeded`}: ${MEANING[failed.step].what}`
                : cancelled
                    ? `cancelled after ${steps.map(s => s.step).join(', ')}`
                    : `up, down and up again succeeded in ${formatDuration(total)}: the migration is reversible`,
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
const argocd_str = (v) => (typeof v === 'string' && v ? v : undefined);
const argocd_rec = (v) => (v && typeof v === 'object' ? v : {});
/** Reads the status fields of an Application object (missing ones are `Unknown`). */
function readArgoStatus(app) {
    const status = argocd_rec(app.status);
    const sync = argocd_rec(status.sync);
    const health = argocd_rec(status.health);
    const op = argocd_rec(status.operationState);
    return {
        sync: argocd_str(sync.status) ?? 'Unknown',
        revision: argocd_str(sync.revision),
        health: argocd_str(health.status) ?? 'Unknown',
        healthMessage: argocd_str(health.message),
        conditions: (Array.isArray(status.conditions) ? status.conditions : []).map(c => ({ type: argocd_str(argocd_rec(c).type) ?? '?', message: argocd_str(argocd_rec(c).message) ?? '' })),
        operation: argocd_str(op.phase) ? { phase: argocd_str(op.phase), message: argocd_str(op.message) } : undefined,
        resources: (Array.isArray(status.resources) ? status.resources : []).map(r => {
            const x = argocd_rec(r);
            return {
                kind: argocd_str(x.kind) ?? '?',
                name: argocd_str(x.name) ?? '?',
                namespace: argocd_str(x.namespace),
                status: argocd_str(x.status),
                health: argocd_str(argocd_rec(x.health).status),
                message: argocd_str(argocd_rec(x.health).message)
            };
        })
    };
}
/** Managed resources that are not Healthy or not Synced (resources without a health, such as ConfigMaps, count as healthy). */
function troubledResources(s) {
    return s.resources.filter(r => (r.health !== undefined && r.health !== 'Healthy') || r.status === 'OutOfSync');
}
function describeResource(r) {
    const state = [r.health, r.status === 'OutOfSync' ? 'OutOfSync' : undefined].filter(Boolean).join(', ');
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
        ...(s.operation ? [`last operation: ${s.operation.phase}${s.operation.message ? `: ${s.operation.message}` : ''}`] : []),
        ...(troubled.length ? ['resources not Healthy or not in sync:', ...troubled.map(r => `  ${describeResource(r)}`)] : [])
    ].join('\n');
    return { ok: problems.length === 0, problems, evidence };
}
async function readApplication(cluster, name, namespace) {
    if (!(await cluster.resourceFor(APPLICATION_API.apiVersion, APPLICATION_API.kind)))
        return 'not-served';
    return cluster.get({ ...APPLICATION_API, name, namespace });
}
registerValidation({
    key: 'argocd',
    target: s => `${s.namespace ?? DEFAULT_ARGOCD_NAMESPACE}/${s.application}`,
    async run(spec, ctx, location) {
        const namespace = spec.namespace ?? DEFAULT_ARGOCD_NAMESPACE;
        const target = `${namespace}/${spec.application}`;
        const cluster = await ctx.cluster();
        const app = await readApplication(cluster, spec.application, namespace);
        if (app === 'not-served')
            return (0,checks_result/* checkResult */.iJ)('argocd', target, {
                verdict: 'fail',
                message: `the cluster serves no ${APPLICATION_API.kind} in ${APPLICATION_API.apiVersion}: Argo CD is not installed on ${cluster.context}`,
                adjustment: 'install Argo CD (its Application CRD), or point the check at the cluster Argo CD runs in',
                location
            });
        if (!app)
            return (0,checks_result/* checkResult */.iJ)('argocd', target, {
                verdict: 'fail',
                message: `Argo CD Application ${target} not found`,
                adjustment: `check the name and namespace (Applications usually live in ${DEFAULT_ARGOCD_NAMESPACE}; set namespace: in the check otherwise)`,
                location
            });
        const s = readArgoStatus(app);
        const want = { sync: spec.sync ?? 'Synced', health: spec.health ?? 'Healthy' };
        const j = judgeApplication(target, s, want);
        const troubled = troubledResources(s);
        return (0,checks_result/* checkResult */.iJ)('argocd', target, {
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
            data: { sync: s.sync, health: s.health, revision: s.revision, conditions: s.conditions, troubled, want },
            location
        });
    }
});

;// CONCATENATED MODULE: ./src/checks/builtin.ts
/** Registers every built-in validation check kind (import for its side effect). */









;// CONCATENATED MODULE: ./src/kube/undo.ts
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
        return { spec: x.spec, data: x.data, binaryData: x.binaryData, stringData: x.stringData, rules: x.rules, subjects: x.subjects, roleRef: x.roleRef };
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
    const ordered = installOrder(applied.map(a => ({ object: { apiVersion: a.ref.apiVersion, kind: a.ref.kind, metadata: { name: a.ref.name } }, a }))).reverse();
    for (const { a } of ordered) {
        if (a.created && a.kept) {
            steps.push({ action: 'keep', ref: a.ref, ok: true, message: `${(0,types/* describeRef */.Ro)(a.ref)} kept (holds data or is marked keep)` });
            continue;
        }
        try {
            if (a.created) {
                await cluster.delete(a.ref, { dryRun: opts.dryRun, propagationPolicy: 'Foreground' });
                steps.push({ action: 'delete', ref: a.ref, ok: true, message: `${opts.dryRun ? 'would delete' : 'deleted'} ${(0,types/* describeRef */.Ro)(a.ref)}` });
            }
            else if (a.before) {
                await restore(cluster, a.before, opts.dryRun);
                steps.push({ action: 'restore', ref: a.ref, ok: true, message: `${opts.dryRun ? 'would restore' : 'restored'} ${(0,types/* describeRef */.Ro)(a.ref)} to its recorded state` });
            }
        }
        catch (err) {
            steps.push({ action: a.created ? 'delete' : 'restore', ref: a.ref, ok: false, message: `${(0,types/* describeRef */.Ro)(a.ref)}: ${(0,core_errors/* errorMessage */.gJ)(err)}` });
        }
    }
    if (opts.dryRun) {
        const ok = steps.every(s => s.ok);
        return { ok, steps, verified: ok, verifyMessage: ok ? 'the server accepted every undo request as a dry run' : 'the server refused part of the undo', durationMs: opts.clock.now() - started };
    }
    const left = Math.max(1000, opts.timeoutMs - (opts.clock.now() - started));
    const deleted = steps.filter(s => s.action === 'delete' && s.ok).map(s => s.ref);
    const restored = applied.filter(a => !a.created && a.before && steps.some(s => s.action === 'restore' && s.ok && key(s.ref) === key(a.ref)));
    const [gone, current] = await Promise.all([
        deleted.length ? waitForGone(cluster, deleted, { timeoutMs: left, clock: opts.clock, signal: opts.signal }) : undefined,
        restored.length ? waitForObjects(cluster, restored.map(a => a.ref), { timeoutMs: left, clock: opts.clock, signal: opts.signal }) : undefined
    ]);
    const problems = [];
    if (gone && gone.result !== 'done')
        problems.push(`not gone: ${gone.message}`);
    if (current && current.result !== 'done')
        problems.push(`not back to ready: ${current.message}`);
    for (const a of restored) {
        const live = await cluster.get(a.ref);
        if (!live || !a.before || !matchesRecorded(live, a.before))
            problems.push(`${(0,types/* describeRef */.Ro)(a.ref)} differs from its recorded state`);
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
        const live = await cluster.get({ apiVersion: before.apiVersion, kind: before.kind, name: before.metadata.name, namespace: before.metadata.namespace });
        if (!live) {
            await cluster.create(before, { dryRun });
            return;
        }
        try {
            await cluster.replace({ ...before, metadata: { ...before.metadata, resourceVersion: live.metadata.resourceVersion } }, { dryRun });
            return;
        }
        catch (err) {
            if (!(err instanceof types/* KubeApiError */.W3 && err.status === 409) || attempt >= 5)
                throw err;
        }
    }
}

;// CONCATENATED MODULE: ./src/gates/phase.ts
/**
 * Gate I, one implementation phase: record the live state of what the phase
 * touches, server-side apply its manifests, wait until every applied object
 * is Current (failing fast on known causes), run its validation checks, and
 * on failure or cancellation run its rollback, verify it, and stop.
 */














/** The objects a phase applies, from its `apply` files. */
async function phaseObjects(ctx, phase, index) {
    const files = await expandManifestPaths(ctx.loaded, phase.apply ?? [], `phases[${index}].apply`);
    return (await loadManifestFiles(ctx.loaded, files, ctx.settings.workspace)).map(m => m.object);
}
/** Runs a phase's rollback actions (default: undo) within the rollback budget. */
async function rollbackPhase(ctx, cluster, phase, index, rec, record, why) {
    const actions = phase.rollback?.length ? phase.rollback : [{ undo: true }];
    const budget = rollbackBudgetMs(ctx.loaded.plan, phase);
    const started = ctx.clock.now();
    const results = [];
    rec.status = 'rolling-back';
    await record.writePhase(rec).catch(err => ctx.log.warn(`could not update the state record: ${(0,core_errors/* errorMessage */.gJ)(err)}`));
    ctx.progress({ gate: 'phase', activity: `${phase.name}: rolling back (${why})` });
    for (const [i, action] of actions.entries()) {
        const location = ctx.loaded.locate(['phases', index, 'rollback', i]);
        const left = Math.max(1000, budget - (ctx.clock.now() - started));
        if ('undo' in action) {
            const outcome = await undoApplied(cluster, rec.objects, { timeoutMs: left, clock: ctx.clock });
            const kept = outcome.steps.filter(s => s.action === 'keep');
            results.push((0,checks_result/* checkResult */.iJ)('rollback', `${phase.name}: undo`, {
                verdict: outcome.ok ? 'pass' : 'fail',
                message: outcome.ok
                    ? `rolled back in ${formatDuration(outcome.durationMs)} (budget ${formatDuration(budget)}): ${outcome.verifyMessage}${kept.length ? `; kept ${kept.map(k => (0,types/* describeRef */.Ro)(k.ref)).join(', ')}` : ''}`
                    : `rollback incomplete: ${[...outcome.steps.filter(s => !s.ok).map(s => s.message), outcome.verified ? '' : outcome.verifyMessage].filter(Boolean).join('; ')}`,
                evidence: outcome.steps.map(s => `${s.ok ? 'ok  ' : 'FAIL'} ${s.message}`).join('\n'),
                data: { durationMs: outcome.durationMs, budgetMs: budget, kept: kept.map(k => (0,types/* describeRef */.Ro)(k.ref)), verified: outcome.verified },
                location
            }));
        }
        else if ('command' in action) {
            const r = await ctx.exec.run(action.command.run, {
                shell: action.command.shell,
                cwd: ctx.loaded.dir,
                timeoutMs: Math.min(left, durationMs(action.command.timeout, left)),
                env: { PHASE_GATE_NAMESPACE: ctx.namespace, PHASE_GATE_RUN_ID: ctx.runId, PHASE_GATE_PHASE: phase.name }
            });
            results.push((0,checks_result/* checkResult */.iJ)('rollback', `${phase.name}: ${action.command.run.join(' ').slice(0, 60)}`, {
                verdict: r.exitCode === 0 && !r.timedOut ? 'pass' : 'fail',
                message: r.exitCode === 0 && !r.timedOut ? `rollback command succeeded in ${formatDuration(r.durationMs)}` : `rollback command failed (exit ${r.exitCode}${r.timedOut ? ', timed out' : ''})`,
                evidence: (r.stderr || r.stdout).slice(-2000),
                location
            }));
        }
        else {
            results.push((0,checks_result/* checkResult */.iJ)('rollback', `${phase.name}: helm`, {
                verdict: 'error',
                message: 'helm rollback is handled by Helm phases, which this phase is not',
                location
            }));
        }
    }
    const ok = results.every(r => (0,model/* isPassing */.WG)(r.verdict));
    rec.status = ok ? 'rolled-back' : 'failed';
    rec.finishedAt = new Date(ctx.clock.now()).toISOString();
    await record.writePhase(rec).catch(err => ctx.log.warn(`could not update the state record: ${(0,core_errors/* errorMessage */.gJ)(err)}`));
    return results;
}
async function runPhase(ctx, phase, index) {
    const started = ctx.clock.now();
    const location = ctx.loaded.locate(['phases', index]);
    const budget = durationMs(phase.budget, budgetMs(ctx.loaded.plan, 'phase', { phase }));
    const timeoutMs = Math.min(durationMs(phase.timeout, budget), budget);
    const deadline = started + timeoutMs;
    const checks = [];
    const notes = [];
    const done = () => (0,model/* gateResult */.xp)('phase', started, checks, { now: ctx.clock.now(), name: phase.name, budgetMs: budget, notes: notes.length ? notes : undefined });
    if (phase.helm) {
        const { runHelmPhase } = await __webpack_require__.e(/* import() */ 40).then(__webpack_require__.bind(__webpack_require__, 7040));
        return runHelmPhase(ctx, phase, index);
    }
    const cluster = await ctx.cluster();
    const raw = await phaseObjects(ctx, phase, index);
    const objects = await prepareObjects(cluster, raw, ctx.namespace, { plan: ctx.loaded.plan.name, run: ctx.runId, role: 'phase', unit: phase.name });
    // Admission first: a manifest the cluster rejects is caught before anything changes.
    const dry = await applyInOrder(cluster, objects, [], { dryRun: true });
    if (dry.failed && dry.failed.status !== 404) {
        checks.push((0,checks_result/* checkResult */.iJ)('apply', (0,types/* describeRef */.Ro)(dry.failed.ref), { verdict: 'fail', message: dry.failed.message, adjustment: 'fix the manifest so the server accepts it; nothing was changed', location }));
        return done();
    }
    if (ctx.settings.dryRun) {
        checks.push((0,checks_result/* checkResult */.iJ)('apply', phase.name, { verdict: 'pass', message: `dry run: the server accepts all ${objects.length} objects of phase ${phase.name}`, location }));
        return done();
    }
    const record = new StateRecord(cluster, ctx.loaded.plan.name, ctx.namespace, ctx.loaded.plan.state?.keepRuns);
    const rec = {
        phase: phase.name,
        runId: ctx.runId,
        status: 'applying',
        startedAt: new Date(started).toISOString(),
        objects: await snapshot(cluster, objects)
    };
    // The record is written before the first change: a killed job's post step can undo from it.
    await record.writePhase(rec);
    await record.transition('deploying', ctx.runId, `phase ${phase.name}`).catch(err => ctx.log.warn(`state record: ${(0,core_errors/* errorMessage */.gJ)(err)}`));
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
    const applied = await applyInOrder(cluster, objects, rec.objects, { signal: ctx.signal });
    // Only what was really applied is undone; objects never reached keep their state.
    rec.objects = applied.applied;
    if (applied.failed) {
        checks.push((0,checks_result/* checkResult */.iJ)('apply', (0,types/* describeRef */.Ro)(applied.failed.ref), { verdict: 'fail', message: applied.failed.message, location }));
        return fail('apply rejected');
    }
    if (ctx.signal.aborted)
        return fail('cancelled while applying');
    checks.push((0,checks_result/* checkResult */.iJ)('apply', phase.name, { verdict: 'pass', message: `applied ${applied.applied.length} objects (${applied.applied.filter(a => a.created).length} created)`, location }));
    ctx.progress({ gate: 'phase', activity: `${phase.name}: waiting for ${applied.applied.length} objects to be ready` });
    const outcome = await waitForObjects(cluster, applied.applied.map(a => a.ref), { timeoutMs: Math.max(0, deadline - ctx.clock.now()), signal: ctx.signal, clock: ctx.clock, failFast: true });
    if (outcome.result !== 'done') {
        const culprit = outcome.failure?.ref ?? outcome.objects.find(o => o.state !== 'done')?.ref;
        const evidence = culprit ? await collectEvidence(cluster, culprit).then(formatEvidence, e => `evidence unavailable: ${(0,core_errors/* errorMessage */.gJ)(e)}`) : undefined;
        checks.push((0,checks_result/* checkResult */.iJ)('ready', culprit ? (0,types/* describeRef */.Ro)(culprit) : phase.name, {
            verdict: outcome.result === 'cancelled' ? 'cancelled' : outcome.result === 'error' ? 'error' : 'fail',
            message: outcome.message,
            evidence,
            adjustment: outcome.result === 'timeout' ? `still progressing after ${formatDuration(timeoutMs)}: raise the phase timeout, or fix what the evidence shows` : 'fix what the evidence shows, then re-run the phase',
            location
        }));
        return fail(outcome.result === 'cancelled' ? 'cancelled while waiting' : outcome.failure?.reason ?? outcome.result);
    }
    checks.push((0,checks_result/* checkResult */.iJ)('ready', phase.name, { verdict: 'pass', message: `all ${applied.applied.length} objects ready in ${formatDuration(outcome.durationMs)}`, location }));
    if (phase.validate?.length) {
        ctx.progress({ gate: 'phase', activity: `${phase.name}: ${phase.validate.length} validation checks` });
        const appliedObjects = applied.applied.map(a => a.after).filter((o) => o !== undefined);
        const results = await runValidations(phase.validate, { ...ctx, applied: appliedObjects, deadline }, ['phases', index, 'validate']);
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
        .updateIndex(index => {
        const run = index.runs.find(r => r.runId === ctx.runId);
        if (run) {
            if (!run.phases.includes(phase.name))
                run.phases.push(phase.name);
        }
        else
            index.runs.push({ runId: ctx.runId, startedAt: new Date(started).toISOString(), phases: [phase.name] });
    })
        .catch(err => ctx.log.warn(`state record: ${(0,core_errors/* errorMessage */.gJ)(err)}`));
    return done();
}
const phaseGate = {
    name: 'phase',
    async run(ctx) {
        const all = ctx.loaded.plan.phases ?? [];
        const selected = ctx.settings.phase ? all.filter(p => p.name === ctx.settings.phase) : all;
        if (ctx.settings.phase && selected.length === 0)
            throw new core_errors/* UsageError */.eb(`no phase named "${ctx.settings.phase}"; phases: ${all.map(p => p.name).join(', ') || 'none'}`);
        const results = [];
        for (const p of selected) {
            if (ctx.signal.aborted)
                break;
            const r = await runPhase(ctx, p, all.indexOf(p));
            results.push(r);
            // A failed phase stops the deployment: later phases build on it.
            if (!(0,model/* isPassing */.WG)(r.verdict))
                break;
        }
        if (results.length === 0)
            results.push((0,model/* gateResult */.xp)('phase', ctx.clock.now(), [], { now: ctx.clock.now(), verdict: 'skip', notes: ['the plan has no phases'] }));
        return results;
    }
};
/** Phase records of this run that a killed job left half-done (for the post step). */
function interrupted(records) {
    return records.filter(r => r.status === 'applying' || r.status === 'rolling-back');
}

;// CONCATENATED MODULE: ./src/gates/index.ts
/** Gate registry: gate name → implementation. Gates not built yet are absent and answer "not implemented yet". */



const GATES = {
    'reality-check': realityCheckGate,
    tracer: tracerGate,
    phase: phaseGate
};
/** The implementation of a gate, or undefined when it is not built yet. */
function gateFor(name) {
    return GATES[name];
}
/** What `--gate all` runs, in order. `record` runs even when an earlier gate failed. */
const ALL_SEQUENCE = ['reality-check', 'tracer', 'plan', 'phase', 'validate', 'record'];

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
    const [core, groups] = await Promise.all([
        t.request({ path: '/api', accept: AGGREGATED_ACCEPT }),
        t.request({ path: '/apis', accept: AGGREGATED_ACCEPT })
    ]);
    const coreDoc = JSON.parse(core.body);
    const groupsDoc = JSON.parse(groups.body);
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
        groups.set(g.name, { preferred, versions: [preferred, ...versions.filter(v => v !== preferred)] });
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
;// CONCATENATED MODULE: ./src/kube/http.ts
/**
 * The HTTP transport to one API server: keep-alive connections, TLS from the
 * kubeconfig, auth headers per request, Kubernetes `Status` errors turned into
 * KubeApiError, and newline-delimited streams for watches.
 */




/** One keep-alive transport to one API server. */
class KubeTransport {
    conn;
    agent;
    url;
    /** Requests sent, for benchmarks and the discovery round-trip count. */
    requests = 0;
    constructor(conn) {
        this.conn = conn;
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
    /** A request whose whole body is read; non-2xx answers become KubeApiError. */
    async request(opts) {
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
    /** A request answered with JSON. */
    async json(opts) {
        const res = await this.request(opts);
        try {
            return JSON.parse(res.body);
        }
        catch {
            throw new types/* KubeApiError */.W3(`the API server answered ${opts.method ?? 'GET'} ${opts.path} with something that is not JSON (content-type ${res.headers['content-type'] ?? 'none'}): ${(0,secrets/* redact */.E$)(res.body.slice(0, 200))}`, res.status, 'MalformedResponse');
        }
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
        let message = '';
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
        const err = new types/* KubeApiError */.W3((0,secrets/* redact */.E$)(message || `HTTP ${status} for ${opts.method ?? 'GET'} ${opts.path}`), status, reason ?? (external_node_http_default()).STATUS_CODES[status]?.replace(/\s+/g, ''), details);
        if (retryAfter)
            Object.assign(err, { retryAfter: Number(retryAfter) });
        return err;
    }
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
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
        throw new core_errors/* UsageError */.eb(`cannot read kubeconfig ${path}: ${(0,core_errors/* errorMessage */.gJ)(err)}; pass --kubeconfig PATH or set KUBECONFIG`);
    }
    let doc;
    try {
        doc = (0,dist/* parse */.qg)(text, { maxAliasCount: 50 });
    }
    catch (err) {
        throw new core_errors/* UsageError */.eb(`kubeconfig ${path} is not valid YAML: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
    }
    if (!doc || typeof doc !== 'object')
        throw new core_errors/* UsageError */.eb(`kubeconfig ${path} is empty`);
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
        throw new core_errors/* UsageError */.eb(`kubeconfig ${source} has no current context; pass --context NAME (contexts: ${names(merged.contexts)})`);
    const ctx = merged.contexts?.find(c => c.name === contextName);
    if (!ctx)
        throw new core_errors/* UsageError */.eb(`context "${contextName}" is not in kubeconfig ${source}; contexts there: ${names(merged.contexts)}. Pass --context with one of them, or fix target.context in the plan`);
    const clusterName = ctx.context?.cluster ?? '';
    const userName = ctx.context?.user ?? '';
    const cluster = merged.clusters?.find(c => c.name === clusterName)?.cluster;
    if (!cluster?.server)
        throw new core_errors/* UsageError */.eb(`context "${contextName}" names cluster "${clusterName}", which kubeconfig ${source} does not define with a server`);
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
        throw new core_errors/* UsageError */.eb(`context "${contextName}": cannot read a certificate or key: ${(0,core_errors/* errorMessage */.gJ)(err)}`);
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
        throw new core_errors/* UsageError */.eb(`context "${context}": auth provider "${provider?.name}" is not supported; use an exec credential plugin (kubelogin, gke-gcloud-auth-plugin, aws eks get-token) as kubectl does since 1.26`);
    const { ExecAuth } = await __webpack_require__.e(/* import() */ 497).then(__webpack_require__.bind(__webpack_require__, 3497));
    const auth = new ExecAuth();
    const apply = async () => {
        const opts = { headers: {} };
        try {
            await auth.applyAuthentication(clientUser, opts);
        }
        catch (err) {
            throw new core_errors/* InfraError */.Ri(`the credential plugin of context "${context}" failed: ${(0,core_errors/* errorMessage */.gJ)(err)}`, 'run the plugin command by hand to see its error, or use a kubeconfig with a token');
        }
        const bearer = opts.headers.Authorization;
        if (bearer)
            (0,secrets/* registerSecret */.cl)(bearer.replace(/^Bearer\s+/i, ''));
        return opts;
    };
    // A plugin may answer with a client certificate instead of a token: the TLS agent needs it up front.
    const first = await apply();
    const asBuffer = (v) => (v === undefined ? undefined : Buffer.isBuffer(v) ? v : Buffer.from(String(v)));
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
    return new KubeCluster(new KubeTransport(conn), opts.timeoutMs ?? 30_000);
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
            throw new core_errors/* UsageError */.eb(`${r.kind} ${name} is namespaced but no namespace was given`);
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
        let resourceVersion = '';
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
            body: obj
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
                    gracePeriodSeconds: opts.gracePeriodSeconds
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
            query: { container: opts.container, tailLines: opts.tailLines, previous: opts.previous || undefined },
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
                timeoutMs: req.timeoutMs ?? this.timeoutMs
            });
            return { status: res.status, headers: flatHeaders(res.headers), body: res.body, durationMs: Date.now() - started };
        }
        catch (err) {
            // A non-2xx answer is still an answer the check judges.
            if (err instanceof types/* KubeApiError */.W3 && !err.transport && err.status > 0)
                return { status: err.status, headers: {}, body: err.message, durationMs: Date.now() - started };
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
/** Turns a transport failure into the "could not check" error a gate reports (exit 3). */
function asInfraError(err, cluster) {
    if (err instanceof types/* KubeApiError */.W3 && (err.transport || err.status === 401 || err.status >= 500)) {
        const hint = err.status === 401
            ? `the credentials of context "${cluster.context}" were rejected; refresh the token or kubeconfig`
            : `check that ${cluster.server} is up and reachable from this runner`;
        return new core_errors/* InfraError */.Ri(err.message, hint);
    }
    return undefined;
}
/** `Kind ns/name` of a ref, re-exported for callers that only import the client. */


// EXTERNAL MODULE: ./node_modules/ajv/dist/2020.js
var _2020 = __webpack_require__(2210);
;// CONCATENATED MODULE: ./schemas/plan.schema.json
const plan_schema_namespaceObject = /*#__PURE__*/JSON.parse('{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://phase-gate.dev/schemas/plan.schema.json","title":"phase-gate plan","description":"A phase-gate plan (phase-gate.yaml): the assumptions, tracer bullets, phases, validation, staged rollout and rollback levels of one deployment, each proven against the live cluster.","type":"object","required":["version","name","target"],"properties":{"$schema":{"title":"Schema","description":"The JSON Schema editors validate this file with, e.g. ../schemas/plan.schema.json.","type":"string","minLength":1},"version":{"title":"Version","description":"Version of the plan format; always 1.","const":1},"name":{"title":"Name","description":"Name of the plan; labels every object it applies and names its state ConfigMap (lowercase letters, digits and \\"-\\").","type":"string","minLength":1,"maxLength":63,"pattern":"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$","patternErrorMessage":"expected a lowercase name of letters, digits and \\"-\\" like dify or web-api"},"target":{"title":"Target","description":"The cluster and namespace the plan deploys to.","type":"object","required":["namespace"],"properties":{"context":{"title":"Context","description":"kubeconfig context (default the current context).","type":"string","minLength":1},"namespace":{"title":"Namespace","description":"Target namespace.","type":"string","minLength":1,"maxLength":63,"pattern":"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$","patternErrorMessage":"expected a namespace name (lowercase letters, digits and \\"-\\")"},"platform":{"title":"Platform","description":"kubernetes (default) or openshift: enables the OpenShift divergence rules.","type":"string","enum":["kubernetes","openshift"]}},"additionalProperties":false},"budgets":{"title":"Budgets","description":"Time budgets per gate; the report shows time used against them.","type":"object","properties":{"size":{"title":"Size","description":"Deployment size whose default budgets apply: simple (default), medium or complex.","type":"string","enum":["simple","medium","complex"]},"reality-check":{"title":"Reality check","description":"Budget of the reality check (default 10m/30m/60m by size).","$ref":"#/$defs/duration"},"tracer":{"title":"Tracers","description":"Budget of the tracer bullets (default 5m/15m/30m by size).","$ref":"#/$defs/duration"},"plan":{"title":"Plan","description":"Budget of the plan gate (default 10m/20m/40m by size).","$ref":"#/$defs/duration"},"phase":{"title":"Phase","description":"Budget of each phase (default 15m/45m/90m by size); a phase may set its own.","$ref":"#/$defs/duration"},"validate":{"title":"Validation","description":"Budget of the validation gate (default 5m/15m/30m by size).","$ref":"#/$defs/duration"},"rollout":{"title":"Rollout","description":"Budget of the rollout (default the sum of stage holds plus 10m).","$ref":"#/$defs/duration"},"soak":{"title":"Soak","description":"Budget of the soak (default its window plus 5m).","$ref":"#/$defs/duration"},"rollback":{"title":"Rollback","description":"Budget of a phase\'s own rollback (default the phase\'s budget).","$ref":"#/$defs/duration"}},"additionalProperties":false},"owners":{"title":"Owners","description":"People or teams who own this deployment (e.g. @org/platform).","type":"array","items":{"type":"string","minLength":1}},"ticket":{"title":"Ticket","description":"The change ticket or issue this deployment belongs to.","type":"string","minLength":1},"notify":{"title":"Notify","description":"Webhooks told about gate results.","type":"array","items":{"$ref":"#/$defs/notify"}},"dashboards":{"title":"Dashboards","description":"Dashboards linked from the summary and runbook.","type":"array","items":{"$ref":"#/$defs/dashboard"}},"prometheus":{"title":"Prometheus","description":"Prometheus for metric checks, the rollout and the soak.","$ref":"#/$defs/prometheus"},"registries":{"title":"Registries","description":"How image checks reach registries.","type":"object","properties":{"mirrors":{"title":"Mirrors","description":"Registry host to mirror host, e.g. docker.io: 127.0.0.1:5000.","type":"object","additionalProperties":{"type":"string","minLength":1}},"caFile":{"title":"CA file","description":"PEM bundle to trust for registry TLS certificates.","type":"string","minLength":1},"allow":{"title":"Allow","description":"Registries images may come from; others are a divergence finding.","type":"array","items":{"type":"string","minLength":1}},"insecure":{"title":"Insecure","description":"Registry hosts reached over plain HTTP (loopback registries).","type":"array","items":{"type":"string","minLength":1}}},"additionalProperties":false},"assumptions":{"title":"Assumptions","description":"What the plan assumes about the cluster; the reality check proves each one.","type":"object","properties":{"apis":{"title":"APIs","description":"APIs that must be served: group/version/Kind, or version/Kind for the core group.","type":"array","items":{"type":"string","pattern":"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?v[0-9]+((alpha|beta)[0-9]+)?/[A-Z][A-Za-z0-9]*$","patternErrorMessage":"expected group/version/Kind or version/Kind, like apps/v1/Deployment or v1/ConfigMap"}},"images":{"title":"Images","description":"Images that must be pullable where the cluster pulls them.","type":"array","items":{"$ref":"#/$defs/image"}},"operators":{"title":"Operators","description":"Operators that must be installed and ready.","type":"array","items":{"$ref":"#/$defs/operator"}},"storageClasses":{"title":"Storage classes","description":"StorageClasses that must exist.","type":"array","items":{"type":"string","minLength":1}},"permissions":{"title":"Permissions","description":"Permissions the deployer needs, added to those derived from the manifests.","type":"array","items":{"title":"Permission","description":"One permission, checked with a SelfSubjectAccessReview.","type":"object","required":["verb","resource"],"properties":{"verb":{"title":"Verb","description":"The verb, e.g. create, patch, delete.","type":"string","minLength":1,"pattern":"^([a-z]+|\\\\*)$","patternErrorMessage":"expected a lowercase verb like create, or *"},"resource":{"title":"Resource","description":"resource.group, e.g. deployments.apps (core resources without a group: configmaps).","type":"string","minLength":1},"namespace":{"title":"Namespace","description":"Namespace (default the plan\'s target namespace).","type":"string","minLength":1},"name":{"title":"Name","description":"A specific object name.","type":"string","minLength":1},"subresource":{"title":"Subresource","description":"A subresource, e.g. scale or status.","type":"string","minLength":1}},"additionalProperties":false}},"quota":{"title":"Quota","description":"Headroom the namespace quota must leave: resource name to quantity (cpu, memory, pods, requests.storage, ...).","type":"object","properties":{"cpu":{"title":"CPU","description":"CPU headroom, e.g. \\"2\\" or 500m.","$ref":"#/$defs/quantity"},"memory":{"title":"Memory","description":"Memory headroom, e.g. 4Gi.","$ref":"#/$defs/quantity"},"pods":{"title":"Pods","description":"Number of pods of headroom.","type":"integer","minimum":0}},"additionalProperties":{"$ref":"#/$defs/quantity"}},"manifests":{"title":"Manifests","description":"Manifest files or globs (relative to the plan file) to dry-run, derive permissions from and compare with what the cluster allows.","type":"array","items":{"$ref":"#/$defs/repoGlob"}},"crds":{"title":"CRDs","description":"CustomResourceDefinitions that must be installed and established, by name (plural.group).","type":"array","items":{"type":"string","pattern":"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$","patternErrorMessage":"expected a CRD name like clusters.postgresql.k8s.enterprisedb.io"}}},"additionalProperties":false},"tracers":{"title":"Tracers","description":"Tracer bullets: minimal real deployments, one per critical assumption.","type":"array","items":{"$ref":"#/$defs/tracer"}},"phases":{"title":"Phases","description":"Implementation phases, applied in order.","type":"array","items":{"$ref":"#/$defs/phase"}},"validation":{"title":"Validation","description":"The full validation suite run after the phases.","type":"object","properties":{"checks":{"title":"Checks","description":"The same check kinds as phases.","$ref":"#/$defs/checks"},"rollbackTest":{"title":"Rollback test","description":"Also dry-run the real undo (what it would delete, restore and keep).","type":"boolean","default":true}},"additionalProperties":false},"rollout":{"title":"Rollout","description":"A staged canary rollout: shift traffic stage by stage, judge metrics against thresholds and the baseline, roll back on a trigger.","type":"object","required":["target"],"properties":{"target":{"title":"Target","description":"The stable workload (track \\"stable\\").","$ref":"#/$defs/workloadRef"},"canary":{"title":"Canary","description":"The new version, already applied (track \\"canary\\"); default <target name>-canary.","$ref":"#/$defs/workloadRef"},"replicas":{"title":"Replicas","description":"Replica-ratio mode: the canary gets ceil(weight% x replicas), stable the rest.","type":"integer","minimum":1},"route":{"title":"Route","description":"An HTTPRoute whose backend weights move instead of replicas.","type":"object","required":["name"],"properties":{"name":{"title":"Name","description":"Name of the HTTPRoute.","type":"string","minLength":1},"namespace":{"title":"Namespace","description":"Namespace of the HTTPRoute (default the plan\'s target namespace).","type":"string","minLength":1}},"additionalProperties":false},"interval":{"title":"Interval","description":"How often metrics are judged during a hold (default 30s).","$ref":"#/$defs/duration"},"stages":{"title":"Stages","description":"Stages with strictly increasing weights, the last at 100.","type":"array","minItems":1,"items":{"$ref":"#/$defs/stage"}},"metrics":{"title":"Metrics","description":"Named PromQL queries ({{track}} is stable or canary) and the Prometheus to ask.","type":"object","properties":{"prometheus":{"title":"Prometheus","description":"Prometheus to query for the rollout (overrides the top-level prometheus).","$ref":"#/$defs/prometheus"},"requests":{"title":"Requests","description":"Traffic per track; zero means no traffic (the stage is inconclusive and holds).","$ref":"#/$defs/promql"}},"propertyNames":{"pattern":"^[A-Za-z_][A-Za-z0-9_]*$","patternErrorMessage":"expected a metric name like errorRate (letters, digits and _)"},"additionalProperties":{"$ref":"#/$defs/promql"}},"rollbackIf":{"title":"Rollback if","description":"Triggers that roll the canary back to 0%.","type":"array","items":{"$ref":"#/$defs/trigger"}},"onTrigger":{"title":"On trigger","description":"Rollback level also run when a trigger fires (default none).","type":"string","enum":["flag","config","code","none"]},"infra":{"title":"Infra steps","description":"Infra steps (migrations, config, flags) run as an `infra` stage at weight 0 before the first stage.","$ref":"#/$defs/checks"}},"additionalProperties":false},"rollbackLevels":{"title":"Rollback levels","description":"Rollback levels with their budgets: flag < 1m, config < 5m, code < 15m.","type":"array","items":{"$ref":"#/$defs/rollbackLevel"}},"hygiene":{"title":"Hygiene","description":"Helm chart and manifest hygiene rules (on top of the built-in ones).","type":"object","properties":{"rules":{"title":"Rules","description":"Extra rules.","type":"array","items":{"$ref":"#/$defs/hygieneRule"}},"params":{"title":"Parameters","description":"Values bound as `params` in rule expressions (free-form).","type":"object"},"ignore":{"title":"Ignore","description":"Findings to ignore, each with a reason.","type":"array","items":{"title":"Ignored finding","description":"A rule ignored for one object or all.","type":"object","required":["rule","reason"],"properties":{"rule":{"title":"Rule","description":"Id of the rule.","type":"string","minLength":1},"object":{"title":"Object","description":"Kind/name of the object (default all objects).","type":"string","minLength":1},"reason":{"title":"Reason","description":"Why this finding is acceptable.","type":"string","minLength":1}},"additionalProperties":false}},"disable":{"title":"Disable","description":"Ids of rules to turn off.","type":"array","items":{"type":"string","minLength":1}}},"additionalProperties":false},"soak":{"title":"Soak","description":"After deploying: restarts, readiness and thresholds sampled over a window; the release becomes stable or degraded.","type":"object","properties":{"window":{"title":"Window","description":"How long to soak (default 24h; a scheduled workflow extends it past a job).","$ref":"#/$defs/duration"},"interval":{"title":"Interval","description":"How often to sample (default 1m).","$ref":"#/$defs/duration"},"minSamples":{"title":"Minimum samples","description":"Samples needed before the soak can pass.","type":"integer","minimum":1},"sustained":{"title":"Sustained","description":"A threshold counts as breached only when N of the last M samples breach it.","type":"object","required":["samples","of"],"properties":{"samples":{"title":"Samples","description":"N: breaching samples.","type":"integer","minimum":1},"of":{"title":"Of","description":"M: most recent samples.","type":"integer","minimum":1}},"additionalProperties":false},"thresholds":{"title":"Thresholds","description":"Checks sampled during the soak (usually metric checks).","$ref":"#/$defs/checks"},"onDegraded":{"title":"On degraded","description":"Rollback level run when the release becomes degraded (default none).","type":"string","enum":["flag","config","code","none"]}},"additionalProperties":false},"approval":{"title":"Approval","description":"Human approval through a GitHub environment protection rule.","type":"object","properties":{"environment":{"title":"Environment","description":"The environment whose required reviewers or wait timer approve the deployment.","type":"string","minLength":1}},"additionalProperties":false},"state":{"title":"State","description":"The state record kept in the target namespace.","type":"object","properties":{"keepRuns":{"title":"Keep runs","description":"How many runs to keep in the state record (default 20).","type":"integer","minimum":1}},"additionalProperties":false},"lock":{"title":"Lock","description":"The lock that keeps two runs of one plan and target apart.","type":"object","properties":{"wait":{"title":"Wait","description":"How long to wait for another run\'s lock.","$ref":"#/$defs/duration"}},"additionalProperties":false}},"additionalProperties":false,"$defs":{"duration":{"title":"Duration","description":"A duration: a number and a unit (ms, s, m, h, d), possibly repeated, e.g. 30s, 5m, 1h30m.","type":"string","pattern":"^(\\\\d+(\\\\.\\\\d+)?(ms|s|m|h|d))+$","patternErrorMessage":"expected a duration like 30s, 5m or 1h30m","examples":["30s","5m","1h30m"]},"size":{"title":"Size","description":"A size in bytes with a unit: B, kB/MB/GB/TB (powers of 1000) or KiB/MiB/GiB/TiB, Ki/Mi/Gi/Ti (powers of 1024).","type":"string","pattern":"^\\\\d+(\\\\.\\\\d+)?(B|[kKMGT]B|[KMGT]iB?)$","patternErrorMessage":"expected a size like 500MB, 1.5GiB or 200Mi","examples":["500MB","1.5GiB","200Mi"]},"url":{"title":"URL","description":"An http or https URL.","type":"string","pattern":"^https?://[^\\\\s/]+(/\\\\S*)?$","patternErrorMessage":"expected an http:// or https:// URL"},"envName":{"title":"Environment variable name","description":"Name of an environment variable, e.g. PROM_TOKEN.","type":"string","pattern":"^[A-Za-z_][A-Za-z0-9_]*$","patternErrorMessage":"expected an environment variable name like PROM_TOKEN"},"cel":{"title":"CEL expression","description":"A CEL expression, the language Kubernetes uses for admission policies and CRD validation.","type":"string","minLength":1},"promql":{"title":"PromQL query","description":"A PromQL query; {{track}} is replaced by the track (stable or canary) during a rollout.","type":"string","minLength":1},"expectation":{"title":"Expectation","description":"A shorthand comparison like \\"< 0.5\\", \\"< 500ms\\", \\"< 2%\\" or \\"<= 1.5x baseline\\", or a CEL expression over `value` and `baseline`.","type":"string","minLength":1},"threshold":{"title":"Threshold","description":"A number (5, 0.5), a percentage (2%), a duration compared in seconds (5s, 500ms) or a multiple of the baseline (2x baseline).","type":["number","string"],"pattern":"^\\\\s*(baseline|[+-]?(\\\\d+(\\\\.\\\\d*)?|\\\\.\\\\d+)([eE][+-]?\\\\d+)?(\\\\s*(x|X|×|\\\\*)\\\\s*baseline|\\\\s*%)?|-?(\\\\d+(\\\\.\\\\d+)?(ms|s|m|h|d))+)\\\\s*$","patternErrorMessage":"expected a number, a percentage like 2%, a duration like 5s, or a multiple like 2x baseline"},"repoPath":{"title":"Repository path","description":"A path relative to the plan file that stays inside the repository.","type":"string","minLength":1},"repoGlob":{"title":"Repository glob","description":"A file path or glob (*, **, ?, [...], {a,b}) relative to the plan file that stays inside the repository.","type":"string","minLength":1},"workloadRef":{"title":"Workload reference","description":"A workload in the target namespace.","type":"object","required":["kind","name"],"properties":{"kind":{"title":"Kind","description":"Kind of the workload, e.g. Deployment.","type":"string","minLength":1},"name":{"title":"Name","description":"Name of the workload.","type":"string","minLength":1},"apiVersion":{"title":"API version","description":"apiVersion of the workload (default from the kind).","type":"string","minLength":1}},"additionalProperties":false},"prometheusSpec":{"title":"Prometheus","description":"How to reach Prometheus; credentials come from environment variables (secrets), never from the plan.","type":"object","required":["url"],"properties":{"url":{"title":"URL","description":"Base URL of the Prometheus HTTP API, e.g. http://127.0.0.1:9090.","$ref":"#/$defs/url"},"bearerTokenEnv":{"title":"Bearer token variable","description":"Name of the environment variable holding a bearer token.","$ref":"#/$defs/envName"},"basicAuth":{"title":"Basic auth","description":"Basic authentication, from environment variables.","type":"object","required":["usernameEnv","passwordEnv"],"properties":{"usernameEnv":{"title":"Username variable","description":"Name of the environment variable holding the user name.","$ref":"#/$defs/envName"},"passwordEnv":{"title":"Password variable","description":"Name of the environment variable holding the password.","$ref":"#/$defs/envName"}},"additionalProperties":false},"caFile":{"title":"CA file","description":"PEM bundle to trust for the Prometheus TLS certificate.","type":"string","minLength":1},"serviceProxy":{"title":"Service proxy","description":"Reach Prometheus through the apiserver\'s service proxy: namespace/service:port.","type":"string","minLength":1,"pattern":"^[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-a-z0-9]*[a-z0-9])?:[A-Za-z0-9-]+$","patternErrorMessage":"expected namespace/service:port, e.g. monitoring/prometheus:9090"}},"additionalProperties":false},"prometheus":{"title":"Prometheus","description":"Prometheus to query: its URL, or an object with the URL and credentials.","oneOf":[{"title":"URL","description":"Base URL of the Prometheus HTTP API.","$ref":"#/$defs/url"},{"$ref":"#/$defs/prometheusSpec"}]},"image":{"title":"Image","description":"An image the plan uses: a reference, or an object with the reference, platform and size limit.","oneOf":[{"title":"Image reference","description":"An image reference, e.g. langgenius/dify-api:0.11.1.","type":"string","pattern":"^\\\\S+$","patternErrorMessage":"expected an image reference without spaces"},{"title":"Image","description":"An image reference with a platform and a size limit.","type":"object","required":["ref"],"properties":{"ref":{"title":"Reference","description":"The image reference, e.g. registry.example.com/app/api:1.2.3.","type":"string","minLength":1,"pattern":"^\\\\S+$","patternErrorMessage":"expected an image reference without spaces"},"platform":{"title":"Platform","description":"The platform the cluster pulls, e.g. linux/amd64.","type":"string","minLength":1,"pattern":"^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$","patternErrorMessage":"expected a platform like linux/amd64 or linux/arm64/v8"},"maxSize":{"title":"Maximum size","description":"Fail when the image is larger (default: warn above 500MB).","$ref":"#/$defs/size"}},"additionalProperties":false}]},"operator":{"title":"Operator","description":"An operator the plan needs: its name, or an object with name, namespace and version range.","oneOf":[{"title":"Operator name","description":"Name of the operator (OLM package/CSV or Deployment).","type":"string","minLength":1},{"title":"Operator","description":"An operator installed through OLM (a CSV) or as a Deployment.","type":"object","required":["name"],"properties":{"name":{"title":"Name","description":"Name of the operator (OLM package/CSV or Deployment).","type":"string","minLength":1},"namespace":{"title":"Namespace","description":"Namespace the operator runs in.","type":"string","minLength":1},"version":{"title":"Version","description":"A semver range the installed version must satisfy, e.g. >=1.20.","type":"string","minLength":1}},"additionalProperties":false}]},"success":{"title":"Success criterion","description":"When a tracer\'s object counts as working: exactly one of ready, phase, condition or cel.","oneOf":[{"title":"Ready","description":"The object is ready by the kstatus rules.","type":"object","required":["ready"],"properties":{"ready":{"title":"Ready","description":"Must be true.","const":true}},"additionalProperties":false},{"title":"Phase","description":"status.phase equals this value.","type":"object","required":["phase"],"properties":{"phase":{"title":"Phase","description":"The expected status.phase, e.g. Running.","type":"string","minLength":1}},"additionalProperties":false},{"title":"Condition","description":"A status condition has the given status.","type":"object","required":["condition"],"properties":{"condition":{"title":"Condition","description":"The condition type, e.g. Ready.","type":"string","minLength":1},"status":{"title":"Status","description":"The expected status of the condition (default True).","type":"string","enum":["True","False","Unknown"]}},"additionalProperties":false},{"title":"CEL","description":"A CEL expression over `object` that must be true.","type":"object","required":["cel"],"properties":{"cel":{"title":"CEL","description":"A CEL expression over `object`, e.g. object.status.readyInstances >= 1.","$ref":"#/$defs/cel"}},"additionalProperties":false}]},"readyCheck":{"title":"Ready check","description":"Waits until the named object is ready by the kstatus rules (Current), failing fast on a known cause (image pull failure, crash loop, Failed status).","type":"object","required":["ready"],"properties":{"ready":{"title":"Ready check","description":"Waits until the named object is ready by the kstatus rules (Current), failing fast on a known cause (image pull failure, crash loop, Failed status).","type":"object","required":["kind","name"],"properties":{"kind":{"title":"Kind","description":"Kind of the object, e.g. Deployment or Cluster.","type":"string","minLength":1},"name":{"title":"Name","description":"Name of the object.","type":"string","minLength":1},"apiVersion":{"title":"API version","description":"apiVersion of the object, e.g. apps/v1; needed when the kind is served by more than one group.","type":"string","minLength":1},"namespace":{"title":"Namespace","description":"Namespace of the object; defaults to the plan\'s target namespace.","type":"string","minLength":1},"timeout":{"title":"Timeout","description":"How long to wait for the object to become ready, e.g. 2m.","$ref":"#/$defs/duration"}},"additionalProperties":false}},"additionalProperties":false},"httpCheck":{"title":"HTTP check","description":"Sends one HTTP request to a Service (through the apiserver\'s service proxy) or a URL and judges the response.","type":"object","required":["http"],"properties":{"http":{"title":"HTTP check","description":"Sends one HTTP request to a Service (through the apiserver\'s service proxy) or a URL and judges the response.","type":"object","properties":{"service":{"title":"Service","description":"Name of the Service to call through the apiserver service proxy.","type":"string","minLength":1},"port":{"title":"Port","description":"Port of the Service, as a number or a port name.","type":["integer","string"],"minimum":1,"maximum":65535,"minLength":1},"path":{"title":"Path","description":"Request path, e.g. /health.","type":"string","minLength":1,"pattern":"^/","patternErrorMessage":"expected a path starting with /"},"url":{"title":"URL","description":"Full URL to call instead of a Service.","$ref":"#/$defs/url"},"method":{"title":"Method","description":"HTTP method (default GET).","type":"string","enum":["GET","HEAD","POST","PUT","PATCH","DELETE","OPTIONS"]},"headers":{"title":"Headers","description":"Request headers, name to value.","type":"object","additionalProperties":{"type":"string"}},"expect":{"title":"Expectation","description":"What the response must look like (default: a 2xx status).","type":"object","properties":{"status":{"title":"Status","description":"Expected HTTP status code.","type":"integer","minimum":100,"maximum":599},"body":{"title":"Body","description":"A substring the response body must contain.","type":"string"},"cel":{"title":"CEL","description":"A CEL expression over `status`, `headers`, `body` and `json` (the parsed body) that must be true.","$ref":"#/$defs/cel"}},"additionalProperties":false},"timeout":{"title":"Timeout","description":"Request timeout, e.g. 10s.","$ref":"#/$defs/duration"},"namespace":{"title":"Namespace","description":"Namespace of the Service; defaults to the plan\'s target namespace.","type":"string","minLength":1}},"additionalProperties":false}},"additionalProperties":false},"commandCheck":{"title":"Command check","description":"Runs a command on the runner and judges its exit code and output.","type":"object","required":["command"],"properties":{"command":{"title":"Command check","description":"Runs a command on the runner and judges its exit code and output.","type":"object","required":["run"],"properties":{"run":{"title":"Command","description":"The command and its arguments, e.g. [psql, -c, \\"select 1\\"].","type":"array","items":{"type":"string"},"minItems":1},"shell":{"title":"Shell","description":"Run the command through sh -c (the first item is the script).","type":"boolean","default":false},"cwd":{"title":"Working directory","description":"Directory to run in, relative to the plan file.","type":"string","minLength":1},"env":{"title":"Environment","description":"Extra environment variables, name to value.","type":"object","propertyNames":{"pattern":"^[A-Za-z_][A-Za-z0-9_]*$","patternErrorMessage":"expected an environment variable name like DATABASE_URL"},"additionalProperties":{"type":"string"}},"timeout":{"title":"Timeout","description":"How long the command may run, e.g. 1m.","$ref":"#/$defs/duration"},"expect":{"title":"Expectation","description":"What the command must produce (default: exit code 0).","type":"object","properties":{"exitCode":{"title":"Exit code","description":"Expected exit code.","type":"integer","minimum":0,"maximum":255},"output":{"title":"Output","description":"A substring standard output must contain.","type":"string"}},"additionalProperties":false}},"additionalProperties":false}},"additionalProperties":false},"envCheck":{"title":"Environment check","description":"Checks that the selected pods\' containers define the required environment variables (values are never read into the report).","type":"object","required":["env"],"properties":{"env":{"title":"Environment check","description":"Checks that the selected pods\' containers define the required environment variables (values are never read into the report).","type":"object","required":["selector","require"],"properties":{"selector":{"title":"Selector","description":"Label selector of the pods, e.g. app=api.","type":"string","minLength":1},"require":{"title":"Required variables","description":"Names of the environment variables that must be set.","type":"array","items":{"type":"string","pattern":"^[A-Za-z_][A-Za-z0-9_]*$","patternErrorMessage":"expected an environment variable name like DATABASE_URL"},"minItems":1},"namespace":{"title":"Namespace","description":"Namespace of the pods; defaults to the plan\'s target namespace.","type":"string","minLength":1},"container":{"title":"Container","description":"Only this container; default all containers.","type":"string","minLength":1}},"additionalProperties":false}},"additionalProperties":false},"metricCheck":{"title":"Metric check","description":"Runs a Prometheus query and judges its value with a CEL expectation or a shorthand.","type":"object","required":["metric"],"properties":{"metric":{"title":"Metric check","description":"Runs a Prometheus query and judges its value with a CEL expectation or a shorthand.","type":"object","required":["query","expect"],"properties":{"query":{"title":"Query","description":"The PromQL query; its single value is bound as `value`.","$ref":"#/$defs/promql"},"expect":{"title":"Expectation","description":"A shorthand like \\"< 0.5\\" or a CEL expression over `value` and `baseline`.","$ref":"#/$defs/expectation"},"window":{"title":"Window","description":"How long the expectation must hold, sampled over this window.","$ref":"#/$defs/duration"},"baseline":{"title":"Baseline query","description":"A PromQL query whose value is bound as `baseline` (the stable track).","$ref":"#/$defs/promql"},"name":{"title":"Name","description":"A name for the report; defaults to the query.","type":"string","minLength":1}},"additionalProperties":false}},"additionalProperties":false},"pullRequestCheck":{"title":"Pull request check","description":"Checks the pull request\'s reviews, labels and required checks with what the default token can read.","type":"object","required":["pullRequest"],"properties":{"pullRequest":{"title":"Pull request check","description":"Checks the pull request\'s reviews, labels and required checks with what the default token can read.","type":"object","properties":{"approvals":{"title":"Approvals","description":"Minimum number of approving reviews, with no outstanding \\"changes requested\\".","type":"integer","minimum":0},"blockingLabels":{"title":"Blocking labels","description":"Labels that block the deployment while present.","type":"array","items":{"type":"string","minLength":1}},"requiredChecks":{"title":"Required checks","description":"Check runs or commit statuses of the head SHA that must have succeeded.","type":"array","items":{"type":"string","minLength":1}}},"additionalProperties":false}},"additionalProperties":false},"toolsCheck":{"title":"Tools check","description":"Checks that tools a runbook calls exist on the runner at the needed versions: tool name to semver range.","type":"object","required":["tools"],"properties":{"tools":{"title":"Tools check","description":"Checks that tools a runbook calls exist on the runner at the needed versions: tool name to semver range.","type":"object","minProperties":1,"propertyNames":{"pattern":"^[A-Za-z0-9][A-Za-z0-9._-]*$","patternErrorMessage":"expected a tool name like helm or kubectl"},"additionalProperties":{"type":"string","minLength":1}}},"additionalProperties":false},"migrationCheck":{"title":"Migration check","description":"Proves a migration runs forward and backward (old code must work with the new schema).","type":"object","required":["migration"],"properties":{"migration":{"title":"Migration check","description":"Proves a migration runs forward and backward (old code must work with the new schema).","type":"object","required":["up","down"],"properties":{"up":{"title":"Up","description":"Command running the forward migration.","type":"array","items":{"type":"string"},"minItems":1},"down":{"title":"Down","description":"Command running the backward migration.","type":"array","items":{"type":"string"},"minItems":1},"shell":{"title":"Shell","description":"Run the commands through sh -c.","type":"boolean","default":false},"cwd":{"title":"Working directory","description":"Directory to run in, relative to the plan file.","type":"string","minLength":1},"env":{"title":"Environment","description":"Extra environment variables, name to value.","type":"object","propertyNames":{"pattern":"^[A-Za-z_][A-Za-z0-9_]*$","patternErrorMessage":"expected an environment variable name like DATABASE_URL"},"additionalProperties":{"type":"string"}},"timeout":{"title":"Timeout","description":"How long each command may run.","$ref":"#/$defs/duration"}},"additionalProperties":false}},"additionalProperties":false},"argocdCheck":{"title":"Argo CD check","description":"Checks the sync and health status of an Argo CD Application.","type":"object","required":["argocd"],"properties":{"argocd":{"title":"Argo CD check","description":"Checks the sync and health status of an Argo CD Application.","type":"object","required":["application"],"properties":{"application":{"title":"Application","description":"Name of the Application.","type":"string","minLength":1},"namespace":{"title":"Namespace","description":"Namespace of the Application (default argocd).","type":"string","minLength":1},"sync":{"title":"Sync status","description":"Required sync status (default Synced).","type":"string","enum":["Synced","OutOfSync"]},"health":{"title":"Health status","description":"Required health status (default Healthy).","type":"string","enum":["Healthy","Progressing","Degraded","Suspended","Missing","Unknown"]}},"additionalProperties":false}},"additionalProperties":false},"alertRulesCheck":{"title":"Alert rules check","description":"Checks that Prometheus has these alerting rules loaded.","type":"object","required":["alertRules"],"properties":{"alertRules":{"title":"Alert rules check","description":"Checks that Prometheus has these alerting rules loaded.","type":"object","required":["names"],"properties":{"names":{"title":"Names","description":"Names of the alerting rules that must be loaded.","type":"array","items":{"type":"string","minLength":1},"minItems":1}},"additionalProperties":false}},"additionalProperties":false},"check":{"title":"Check","description":"A validation check: exactly one key naming its kind (ready, http, command, env, metric, pullRequest, tools, migration, argocd, alertRules).","oneOf":[{"$ref":"#/$defs/readyCheck"},{"$ref":"#/$defs/httpCheck"},{"$ref":"#/$defs/commandCheck"},{"$ref":"#/$defs/envCheck"},{"$ref":"#/$defs/metricCheck"},{"$ref":"#/$defs/pullRequestCheck"},{"$ref":"#/$defs/toolsCheck"},{"$ref":"#/$defs/migrationCheck"},{"$ref":"#/$defs/argocdCheck"},{"$ref":"#/$defs/alertRulesCheck"}]},"checks":{"title":"Checks","description":"A list of validation checks.","type":"array","items":{"$ref":"#/$defs/check"}},"helm":{"title":"Helm release","description":"Deploys a Helm chart as this phase (rendered with helm template for the reality check).","type":"object","required":["release","chart"],"properties":{"release":{"title":"Release","description":"Name of the Helm release.","type":"string","minLength":1},"chart":{"title":"Chart","description":"Chart reference: repo/chart, oci://..., or a path relative to the plan file.","type":"string","minLength":1},"version":{"title":"Version","description":"Chart version.","type":"string","minLength":1},"values":{"title":"Values","description":"Values passed to the chart (free-form).","type":"object"},"valuesFiles":{"title":"Values files","description":"Values files relative to the plan file, applied in order.","type":"array","items":{"$ref":"#/$defs/repoPath"}},"namespace":{"title":"Namespace","description":"Release namespace; defaults to the plan\'s target namespace.","type":"string","minLength":1}},"additionalProperties":false},"rollbackAction":{"title":"Rollback action","description":"One step of a phase\'s rollback: exactly one of undo, helm or command.","oneOf":[{"title":"Undo","description":"Delete what the phase created (keeping PVCs and kept objects) and restore what it changed.","type":"object","required":["undo"],"properties":{"undo":{"title":"Undo","description":"Must be true.","const":true}},"additionalProperties":false},{"title":"Helm rollback","description":"Roll the phase\'s Helm release back to its previous revision.","type":"object","required":["helm"],"properties":{"helm":{"title":"Helm","description":"Must be rollback.","const":"rollback"}},"additionalProperties":false},{"title":"Command","description":"Run a command.","type":"object","required":["command"],"properties":{"command":{"title":"Command","description":"The command to run.","type":"object","required":["run"],"properties":{"run":{"title":"Command","description":"The command and its arguments.","type":"array","items":{"type":"string"},"minItems":1},"shell":{"title":"Shell","description":"Run through sh -c.","type":"boolean","default":false},"timeout":{"title":"Timeout","description":"How long the command may run.","$ref":"#/$defs/duration"}},"additionalProperties":false}},"additionalProperties":false}]},"tracer":{"title":"Tracer bullet","description":"A minimal real deployment proving one critical assumption: apply one small object, wait for its success criterion, capture evidence, clean up.","type":"object","required":["name","assumption","manifest","success"],"properties":{"name":{"title":"Name","description":"Name of the tracer (unique in the plan).","type":"string","minLength":1,"maxLength":63,"pattern":"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$","patternErrorMessage":"expected a name of letters, digits, \\"-\\", \\"_\\" or \\".\\" that starts and ends with a letter or digit"},"assumption":{"title":"Assumption","description":"The assumption this tracer proves, in words.","type":"string","minLength":1},"manifest":{"title":"Manifest","description":"The object to apply: exactly one of file or inline.","type":"object","properties":{"file":{"title":"File","description":"A manifest file relative to the plan file.","$ref":"#/$defs/repoPath"},"inline":{"title":"Inline","description":"The manifest as YAML text.","type":"string","minLength":1}},"additionalProperties":false},"success":{"title":"Success criterion","description":"When the object counts as working: {ready: true}, {phase: Running}, {condition: Ready} or {cel: ...}.","$ref":"#/$defs/success"},"timeout":{"title":"Timeout","description":"How long to wait for the success criterion (default 2m).","$ref":"#/$defs/duration"},"cleanup":{"title":"Cleanup","description":"Delete the object afterwards (default true).","type":"boolean","default":true},"critical":{"title":"Critical","description":"A failure fails the gate (default true); otherwise it warns.","type":"boolean","default":true}},"additionalProperties":false},"phase":{"title":"Phase","description":"One implementation phase: apply its resources, run its validation checks, and on failure run its rollback.","type":"object","required":["name"],"properties":{"name":{"title":"Name","description":"Name of the phase (unique in the plan).","type":"string","minLength":1,"maxLength":63,"pattern":"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$","patternErrorMessage":"expected a name of letters, digits, \\"-\\", \\"_\\" or \\".\\" that starts and ends with a letter or digit"},"apply":{"title":"Apply","description":"Manifest files or globs, relative to the plan file, applied with server-side apply.","type":"array","items":{"$ref":"#/$defs/repoGlob"}},"helm":{"title":"Helm","description":"A Helm release this phase installs or upgrades.","$ref":"#/$defs/helm"},"validate":{"title":"Validate","description":"Checks run after applying; every applied object must be ready anyway.","$ref":"#/$defs/checks"},"timeout":{"title":"Timeout","description":"How long the phase may wait for its objects to become ready.","$ref":"#/$defs/duration"},"budget":{"title":"Budget","description":"Time budget of this phase (default budgets.phase or the size\'s default).","$ref":"#/$defs/duration"},"rollback":{"title":"Rollback","description":"Steps run, in order, when the phase fails (default [{undo: true}]).","type":"array","items":{"$ref":"#/$defs/rollbackAction"}},"migration":{"title":"Migration","description":"A migration this phase runs; without a working down step, code rollback is refused and the flag/config levels are offered.","type":"object","required":["up"],"properties":{"up":{"title":"Up","description":"Command running the forward migration.","type":"array","items":{"type":"string"},"minItems":1},"down":{"title":"Down","description":"Command running the backward migration.","type":"array","items":{"type":"string"},"minItems":1},"shell":{"title":"Shell","description":"Run the commands through sh -c.","type":"boolean","default":false}},"additionalProperties":false}},"additionalProperties":false},"stage":{"title":"Stage","description":"One stage of the rollout: shift traffic to its weight, hold, judge the metrics.","type":"object","required":["name","weight"],"properties":{"name":{"title":"Name","description":"Name of the stage (unique in the rollout).","type":"string","minLength":1,"maxLength":63,"pattern":"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$","patternErrorMessage":"expected a name of letters, digits, \\"-\\", \\"_\\" or \\".\\" that starts and ends with a letter or digit"},"weight":{"title":"Weight","description":"Percentage of traffic (or replicas) on the canary, 0 to 100.","type":"number","minimum":0,"maximum":100},"hold":{"title":"Hold","description":"How long to hold at this weight while judging metrics (default 0s).","$ref":"#/$defs/duration"}},"additionalProperties":false},"trigger":{"title":"Rollback trigger","description":"When the rollout rolls back: a metric crossing a threshold (above, below or cel), or no data for a while.","type":"object","properties":{"metric":{"title":"Metric","description":"Name of a query under rollout.metrics.","type":"string","minLength":1,"pattern":"^[A-Za-z_][A-Za-z0-9_]*$","patternErrorMessage":"expected a metric name like errorRate"},"above":{"title":"Above","description":"Trigger when the value is above this: a number, a duration like 5s, or 2x baseline.","$ref":"#/$defs/threshold"},"below":{"title":"Below","description":"Trigger when the value is below this: a number, a duration, or 0.5x baseline.","$ref":"#/$defs/threshold"},"cel":{"title":"CEL","description":"Trigger when this CEL expression over `value` and `baseline` is true.","$ref":"#/$defs/cel"},"noDataFor":{"title":"No data for","description":"Dead-man\'s switch: trigger when the metric (or every metric) has had no data this long.","$ref":"#/$defs/duration"},"samples":{"title":"Samples","description":"How many samples must cross the threshold before the trigger fires.","type":"integer","minimum":1},"of":{"title":"Of","description":"Out of how many most recent samples (with samples: N of M).","type":"integer","minimum":1}},"additionalProperties":false,"minProperties":1},"rollbackLevel":{"title":"Rollback level","description":"A rollback level: flag (a ConfigMap key or a command), config (ConfigMaps/Secrets restored) or code (the workload undone to its last known-good revision).","type":"object","required":["level"],"properties":{"level":{"title":"Level","description":"Which level this is.","type":"string","enum":["flag","config","code"]},"configMap":{"title":"ConfigMap","description":"flag: the ConfigMap holding the flag.","type":"string","minLength":1},"key":{"title":"Key","description":"flag: the key of the flag in the ConfigMap.","type":"string","minLength":1},"value":{"title":"Value","description":"flag: the value that turns the feature off (a string: quote \\"false\\").","type":"string"},"command":{"title":"Command","description":"flag or code: a command that performs this level (an external flag service, a revert-and-deploy).","type":"object","required":["run"],"properties":{"run":{"title":"Command","description":"The command and its arguments.","type":"array","items":{"type":"string"},"minItems":1},"shell":{"title":"Shell","description":"Run through sh -c.","type":"boolean","default":false}},"additionalProperties":false},"configMaps":{"title":"ConfigMaps","description":"config: ConfigMaps whose recorded versions are restored.","type":"array","items":{"type":"string","minLength":1}},"secrets":{"title":"Secrets","description":"config: Secrets whose recorded versions are restored.","type":"array","items":{"type":"string","minLength":1}},"target":{"title":"Target","description":"code: the workload undone to its last known-good revision.","$ref":"#/$defs/workloadRef"},"helm":{"title":"Helm","description":"code: a Helm release rolled back to its last known-good revision.","type":"object","required":["release"],"properties":{"release":{"title":"Release","description":"Name of the Helm release.","type":"string","minLength":1}},"additionalProperties":false},"budget":{"title":"Budget","description":"Time budget of this level (default flag 1m, config 5m, code 15m).","$ref":"#/$defs/duration"}},"additionalProperties":false},"hygieneRule":{"title":"Hygiene rule","description":"A rule every rendered object is judged by: a CEL expression over `object` (and `params`) that must be true.","type":"object","required":["id","cel","message"],"properties":{"id":{"title":"Id","description":"Rule id, used in reports, ignore and disable.","type":"string","minLength":1,"pattern":"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$","patternErrorMessage":"expected a rule id of lowercase letters, digits, \\"-\\" and \\".\\""},"severity":{"title":"Severity","description":"How bad a violation is (default medium).","type":"string","enum":["high","medium","low"]},"match":{"title":"Match","description":"Which objects the rule applies to (default all).","type":"object","properties":{"kinds":{"title":"Kinds","description":"Kinds the rule applies to, e.g. [Deployment, StatefulSet].","type":"array","items":{"type":"string","minLength":1}}},"additionalProperties":false},"cel":{"title":"CEL","description":"A CEL expression over `object` and `params` that must be true.","$ref":"#/$defs/cel"},"message":{"title":"Message","description":"What is wrong when the expression is false.","type":"string","minLength":1},"fix":{"title":"Fix","description":"How to fix it.","type":"string","minLength":1}},"additionalProperties":false},"notify":{"title":"Notification","description":"A webhook told about gate results; its URL comes from an environment variable (a secret).","type":"object","required":["urlEnv"],"properties":{"name":{"title":"Name","description":"A name for the report.","type":"string","minLength":1},"urlEnv":{"title":"URL variable","description":"Name of the environment variable holding the webhook URL.","$ref":"#/$defs/envName"},"format":{"title":"Format","description":"Payload format (default json).","type":"string","enum":["slack","json"]},"events":{"title":"Events","description":"Which events to send (default all), e.g. fail, rollback, stable.","type":"array","items":{"type":"string","minLength":1}}},"additionalProperties":false},"dashboard":{"title":"Dashboard","description":"A dashboard linked from the summary and the runbook.","type":"object","required":["name","url"],"properties":{"name":{"title":"Name","description":"Name of the dashboard.","type":"string","minLength":1},"url":{"title":"URL","description":"Link to the dashboard.","$ref":"#/$defs/url"}},"additionalProperties":false},"quantity":{"title":"Quantity","description":"A Kubernetes quantity, e.g. 2, 500m, 4Gi.","type":["string","number"],"pattern":"^[0-9]+(\\\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$","patternErrorMessage":"expected a quantity like 2, 500m or 4Gi","minimum":0}}}');
;// CONCATENATED MODULE: ./src/plan/suggest.ts
/** Did-you-mean suggestions for misspelled field names, enum values and references. */
/** Edit distance (insertions, deletions, substitutions, adjacent swaps) between two strings. */
function suggest_editDistance(a, b) {
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
        const score = suggest_normalise(candidate) === suggest_normalise(word) ? 0 : suggest_editDistance(lower, candidate.toLowerCase());
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
function suggest_normalise(s) {
    return s.toLowerCase().replace(/[-_ ]/g, '');
}

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
let schema_compiled;
/** A fresh ajv instance configured the way the plan schema is meant to be checked (strict, all errors). */
function createPlanAjv() {
    const ajv = new _2020.Ajv2020({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true });
    // VS Code and yaml-language-server show it instead of the raw regex; for ajv it is an annotation.
    ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
    return ajv;
}
function compile() {
    if (schema_compiled)
        return schema_compiled;
    const ajv = createPlanAjv();
    ajv.addSchema(planSchema);
    const root = ajv.getSchema(PLAN_SCHEMA_ID);
    if (!root)
        throw new Error(`plan schema ${PLAN_SCHEMA_ID} did not compile`);
    const pointers = new WeakMap();
    indexPointers(planSchema, '', pointers);
    schema_compiled = { ajv, root, pointers };
    return schema_compiled;
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
function schema_resolveRef(node, refs = []) {
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
        .map((b, i) => [schema_resolveRef(b), i])
        .filter(([b]) => b.type === undefined || typeMatches(b.type, value))
        .map(([, i]) => i);
    const byKeys = isPlainObject(value)
        ? byType.filter(i => (schema_resolveRef(branches[i]).required ?? []).every(k => k in value))
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
        const expected = listWords(unique(branches.map(b => expectedOfBranch(schema_resolveRef(b)))));
        return [{ path, at: 'value', message: `expected ${expected}, got ${describeValue(value)}` }];
    }
    let chosen = byType.length === 1 ? byType[0] : undefined;
    if (chosen === undefined && isPlainObject(value)) {
        const keys = unique(byType.flatMap(i => schema_resolveRef(branches[i]).required?.slice(0, 1) ?? []));
        if (byKeys.length === 1)
            chosen = byKeys[0];
        else if (byKeys.length > 1) {
            const found = keys.filter(k => k in value);
            return [
                {
                    path,
                    at: 'value',
                    message: `expected exactly one of ${listWords(keys)}, found ${listWords(found, 'and')}`
                }
            ];
        }
        else {
            const known = new Set(byType.flatMap(i => Object.keys(schema_resolveRef(branches[i]).properties ?? {})));
            const stray = Object.keys(value).find(k => !known.has(k));
            if (stray !== undefined) {
                return [
                    {
                        path: [...path, stray],
                        at: 'key',
                        message: `unknown field "${stray}"${didYouMean(stray, keys)}; expected exactly one of ${listWords(keys)}`
                    }
                ];
            }
            return [{ path, at: 'value', message: `expected exactly one of ${listWords(keys)}` }];
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
    return listWords(indexes.map(i => schema_resolveRef(branches[i]).title ?? `shape ${i + 1}`));
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
            const suggestion = closestMatch(field, Object.keys(parent.properties ?? {}));
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
            const hint = typeof e.data === 'string' ? didYouMean(e.data, params.allowedValues) : '';
            return {
                path,
                at: 'value',
                message: `expected one of ${listWords(allowed)}, got ${got}${hint}`
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
    const hint = didYouMean(field, allowed);
    if (hint)
        return `unknown field "${field}"${hint}`;
    return allowed.length > 0
        ? `unknown field "${field}"; allowed: ${listWords(allowed)}`
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
    return listWords(types.map(t => TYPE_WORDS[t] ?? t));
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
    let schema = schema_resolveRef(node, defs);
    for (let depth = 0; depth < 8; depth++) {
        const branches = schema.oneOf ?? schema.anyOf;
        if (!branches)
            break;
        const chosen = chooseBranch(branches, value);
        if (chosen === undefined)
            return;
        schema = schema_resolveRef(branches[chosen], defs);
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

;// CONCATENATED MODULE: ./src/plan/loader.ts
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
    const abs = external_node_path_default().resolve(file);
    const displayFile = displayPath(external_node_path_default().resolve(opts.workspace), abs);
    const bytes = await readLimited(abs, displayFile, opts.maxBytes ?? DEFAULT_MAX_PLAN_BYTES);
    const text = decodeText(bytes, displayFile);
    let root = external_node_path_default().resolve(opts.workspace);
    try {
        // Symlinks are judged by where they really lead, so the root must be real too.
        root = await (0,promises_.realpath)(root);
    }
    catch {
        // A workspace that does not exist is compared lexically.
    }
    return parsePlan(text, { file: abs, workspace: opts.workspace, root });
}
/** Parses and validates plan text already read (size and encoding checked by the caller); throws UsageError. */
function parsePlan(text, opts) {
    const abs = external_node_path_default().resolve(opts.file);
    const workspace = external_node_path_default().resolve(opts.workspace);
    const displayFile = displayPath(workspace, abs);
    const source = parseSource(text, displayFile);
    const plan = validate(toData(source, displayFile), source, displayFile);
    return {
        plan,
        file: abs,
        displayFile,
        dir: external_node_path_default().dirname(abs),
        root: opts.root ?? workspace,
        locate: (p) => source.locate(p, 'field')
    };
}
function displayPath(workspace, abs) {
    const rel = external_node_path_default().relative(workspace, abs);
    if (rel === '' || rel.startsWith('..') || external_node_path_default().isAbsolute(rel))
        return abs;
    return rel.split((external_node_path_default()).sep).join('/');
}
function fail(displayFile, summary, problems) {
    throw new core_errors/* UsageError */.eb(`${displayFile}: ${summary}`, problems);
}
function line(displayFile, at, where, message) {
    return `${displayFile}:${at.line}:${at.column}: ${where}: ${message}`;
}
async function readLimited(abs, displayFile, maxBytes) {
    let handle;
    try {
        handle = await (0,promises_.open)(abs, 'r');
    }
    catch (err) {
        fail(displayFile, 'cannot read the plan file', [
            line(displayFile, { line: 1, column: 1 }, '(file)', `cannot open: ${(0,core_errors/* errorMessage */.gJ)(err)}`)
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
                line(displayFile, { line: 1, column: 1 }, '(file)', `file is ${Math.max(stat.size, length)} bytes; a plan may be at most ${maxBytes} bytes (${loader_formatBytes(maxBytes)}): split it or move data out of it`)
            ]);
        }
        return buffer.subarray(0, length);
    }
    finally {
        await handle.close();
    }
}
function loader_formatBytes(n) {
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
    const lineCounter = new dist/* LineCounter */.HN();
    const doc = (0,dist/* parseDocument */.Tp)(text, {
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
    if (contents === null || ((0,dist/* isScalar */.jn)(contents) && contents.value === null)) {
        fail(displayFile, 'the plan is empty', [
            line(displayFile, { line: 1, column: 1 }, '(root)', 'the file is empty: expected a mapping with version, name and target')
        ]);
    }
    if (!(0,dist/* isMap */.jh)(contents)) {
        const what = (0,dist/* isSeq */.oP)(contents) ? 'a list' : (0,dist/* isAlias */.Vj)(contents) ? 'an alias' : 'a single value';
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
        if (found || !(0,dist/* isMap */.jh)(node))
            return;
        const seen = new Map();
        for (const pair of node.items) {
            const key = (0,dist/* isScalar */.jn)(pair.key) ? String(pair.key.value) : undefined;
            const start = (0,dist/* isScalar */.jn)(pair.key) ? pair.key.range?.[0] : undefined;
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
        if ((0,dist/* isAlias */.Vj)(node))
            return visit(node, p);
        if ((0,dist/* isMap */.jh)(node)) {
            visit(node, p);
            for (const pair of node.items) {
                const key = (0,dist/* isScalar */.jn)(pair.key) ? String(pair.key.value) : '?';
                if (pair.key && typeof pair.key === 'object')
                    go(pair.key, p);
                go(pair.value, [...p, key]);
            }
        }
        else if ((0,dist/* isSeq */.oP)(node)) {
            visit(node, p);
            node.items.forEach((item, i) => go(item, [...p, i]));
        }
        else if ((0,dist/* isScalar */.jn)(node)) {
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
        if ((0,dist/* isAlias */.Vj)(node)) {
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
        if ((0,dist/* isMap */.jh)(node)) {
            for (const pair of node.items) {
                if (!(0,dist/* isScalar */.jn)(pair.key)) {
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
            if (!first && (0,dist/* isAlias */.Vj)(node))
                first = node;
        });
        const at = first ? position(source.lineCounter, first) : { line: 1, column: 1 };
        const message = /alias count/i.test((0,core_errors/* errorMessage */.gJ)(err))
            ? `too many aliases: anchors and aliases here would expand beyond ${MAX_ALIAS_COUNT} nodes (a "billion laughs" file?); write the values out`
            : `cannot read the YAML: ${(0,core_errors/* errorMessage */.gJ)(err)}`;
        fail(displayFile, 'the plan is not valid YAML', [line(displayFile, at, '(yaml)', message)]);
    }
}
function validate(data, source, displayFile) {
    const issues = validatePlanData(data);
    if (issues.length === 0)
        return data;
    const located = issues.map(issue => ({ issue, at: locateIssue(source, issue) }));
    located.sort((a, b) => a.at.line - b.at.line || a.at.column - b.at.column);
    const problems = located.map(({ issue, at }) => line(displayFile, at, formatFieldPath(issue.path), issue.message));
    fail(displayFile, `the plan does not match the schema (${loader_plural(problems.length, 'problem')})`, problems);
}
function locateIssue(source, issue) {
    if (issue.at === 'parent')
        return source.locate(issue.path.slice(0, -1), 'field');
    return source.locate(issue.path, issue.at);
}
function loader_plural(n, word) {
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
        if ((0,dist/* isAlias */.Vj)(node))
            node = node.resolve(doc);
        if ((0,dist/* isMap */.jh)(node)) {
            const pair = node.items.find(it => (0,dist/* isPair */.tO)(it) && (0,dist/* isScalar */.jn)(it.key) && String(it.key.value) === String(segment));
            if (!pair)
                break;
            keyNode = pair.key;
            // `key:` with nothing after it has no value node; the key stands for it.
            node = pair.value ?? pair.key;
        }
        else if ((0,dist/* isSeq */.oP)(node) && Number.isInteger(Number(segment))) {
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
    const valueIsScalar = (0,dist/* isScalar */.jn)(node) || (0,dist/* isAlias */.Vj)(node);
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

;// CONCATENATED MODULE: ./src/cel/shorthand.ts
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
    const ms = parseDuration(negative ? t.slice(1) : t);
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
    hygiene: ['object', 'params'],
    http: ['status', 'headers', 'body', 'json'],
    value: ['value', 'baseline']
};
/** The project's CEL environment, as the gates will compile the same expressions. */
const compileWithProjectCel = (source, context) => {
    compileCached(source, CEL_VARS[context]);
};
/** All lint problems of a loaded plan, in file order; errors make `phase-gate lint` exit 2. */
function lintPlan(loaded, opts = {}) {
    const ctx = new LintContext(loaded);
    const { plan } = loaded;
    const fields = typedFields(plan);
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
        this.problems.push({ severity, location, path: formatFieldPath(p), message });
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
            const value = isPlainObject(item) ? item[key] : undefined;
            if (typeof value !== 'string')
                return;
            const earlier = first.get(value);
            if (earlier === undefined) {
                first.set(value, i);
                return;
            }
            const other = [...base, earlier, key];
            ctx.error([...base, i, key], `duplicate ${what} "${value}" (also ${formatFieldPath(other)} at line ${ctx.line(other)})`);
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
        if (trigger.metric !== undefined) {
            if (trigger.metric === 'prometheus' || !queries.includes(trigger.metric)) {
                const defined = queries.length > 0 ? `; defined: ${queries.join(', ')}` : '';
                ctx.error([...p, 'metric'], `metric "${trigger.metric}" is not defined under rollout.metrics${didYouMean(trigger.metric, queries)}${defined}`);
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
    if (!isPlainObject(object))
        return 'the inline manifest must be a mapping (a Kubernetes object)';
    const missing = ['apiVersion', 'kind'].filter(k => typeof object[k] !== 'string');
    const name = isPlainObject(object.metadata) ? object.metadata.name : undefined;
    if (typeof name !== 'string' &&
        !(isPlainObject(object.metadata) && 'generateName' in object.metadata)) {
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
        const timeout = parseDuration(phase.timeout);
        if (timeout !== undefined && isDuration(phase.budget ?? plan.budgets?.phase)) {
            const budget = phaseBudgetMs(plan, phase);
            if (timeout > budget) {
                ctx.warn([...p, 'timeout'], `the timeout (${phase.timeout}) is longer than the phase budget (${formatMinutes(budget)})`);
            }
        }
    });
}
function isDuration(text) {
    return text === undefined || parseDuration(text) !== undefined;
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
        const ms = parseDuration(f.value);
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
        const interval = parseDuration(every) ?? 0;
        (plan.rollout?.stages ?? []).forEach((stage, i) => {
            const ms = parseDuration(stage.hold ?? '0s') ?? 0;
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
            ctx.error(p, err instanceof cel_error_CelError ? `invalid CEL: ${err.message}` : (0,core_errors/* errorMessage */.gJ)(err));
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
            attempt(f.path, 'value', () => expectationToCel(value));
    }
    // A trigger's above/below/cel become one condition; shapes without one are reported by checkRollout.
    ;
    (plan.rollout?.rollbackIf ?? []).forEach((trigger, i) => {
        const field = ['cel', 'above', 'below'].find(k => trigger[k] !== undefined);
        if (trigger.metric === undefined || field === undefined)
            return;
        attempt(['rollout', 'rollbackIf', i, field], 'value', () => triggerToCel(trigger));
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

;// CONCATENATED MODULE: ./src/version.ts
/** phase-gate's version, as reported in every report. Kept in step with package.json by a test. */
const VERSION = '0.1.0';

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
    const loaded = await loadPlan(settings.planPath, { workspace: settings.workspace });
    const problems = lintPlan(loaded);
    const errors = (await problems).filter(p => p.severity === 'error');
    if (errors.length > 0)
        throw new core_errors/* UsageError */.eb(`${loaded.displayFile} has ${errors.length} problem${errors.length === 1 ? '' : 's'}`, errors.map(p => `${p.location.file}:${p.location.line}:${p.location.column}: ${p.path}: ${p.message}`));
    return loaded;
}
/** The gates a selection runs, in order. */
function gateSequence(selection) {
    return selection === 'all' ? ALL_SEQUENCE : [selection];
}
async function defaultConnect(s, loaded) {
    return connectCluster({
        kubeconfigPath: s.kubeconfig.kind === 'path' ? s.kubeconfig.path : undefined,
        context: s.context ?? loaded.plan.target.context
    });
}
/** Runs the selected gates and returns the report (it never throws for a gate's failure). */
async function runEngine(settings, deps) {
    const clock = deps.clock ?? systemClock;
    const startedAt = clock.now();
    const loaded = await loadValidPlan(settings);
    const sequence = gateSequence(settings.gate);
    for (const g of sequence)
        if (!gateFor(g) && settings.gate !== 'all')
            throw new core_errors/* UsageError */.eb(`gate "${g}" is not implemented yet; gates available now: ${ALL_SEQUENCE.filter(n => gateFor(n)).join(', ')}`);
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
        exec: deps.exec ?? processExec,
        clock,
        log: deps.log,
        signal,
        progress: e => deps.progress?.(e),
        earlier
    };
    const runSoFar = (done) => ({
        schemaVersion: model/* REPORT_SCHEMA_VERSION */.WI,
        tool: { name: 'phase-gate', version: VERSION },
        plan: loaded.plan.name,
        planFile: loaded.displayFile,
        runId: settings.runId,
        target: { context: settings.context ?? loaded.plan.target.context, namespace },
        startedAt: new Date(startedAt).toISOString(),
        finishedAt: new Date(clock.now()).toISOString(),
        verdict: (0,model/* combineVerdicts */.aG)(done.map(g => g.verdict)),
        gates: [...done]
    });
    let stop = false;
    for (const name of sequence) {
        const gate = gateFor(name);
        if (!gate) {
            deps.log.info(`gate ${name} is not implemented yet; skipped`);
            continue;
        }
        if (stop && name !== 'record') {
            gates.push({ gate: name, verdict: 'skip', durationMs: 0, startedAt: new Date(clock.now()).toISOString(), checks: [], notes: ['not run: an earlier gate did not pass'] });
            continue;
        }
        const gateStarted = clock.now();
        let results;
        try {
            if (signal.aborted)
                throw new core_errors/* CancelledError */.cc();
            // The gates this run finished so far count as earlier reports (the record gate reads them).
            if (gates.length > 0)
                ctx.earlier = [...earlier, runSoFar(gates)];
            results = await gate.run(ctx);
        }
        catch (err) {
            results = [failedGate(name, gateStarted, clock.now(), err, ctx)];
        }
        gates.push(...results);
        if (!results.every(r => (0,model/* isPassing */.WG)(r.verdict)))
            stop = true;
        if (signal.aborted)
            stop = true;
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
        tool: { name: 'phase-gate', version: VERSION },
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
function failedGate(name, started, now, err, ctx) {
    if (err instanceof core_errors/* UsageError */.eb)
        throw err;
    const cancelled = err instanceof core_errors/* CancelledError */.cc || ctx.signal.aborted;
    let infra = err instanceof core_errors/* InfraError */.Ri ? err : undefined;
    if (!infra && err instanceof types/* KubeApiError */.W3)
        infra = asInfraError(err, { context: ctx.settings.context ?? '', server: '' });
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

;// CONCATENATED MODULE: ./src/core/retry.ts
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
    return typeof m === 'string' ? m : (0,core_errors/* errorMessage */.gJ)(err);
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
    const clock = opts.clock ?? systemClock;
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
    if (!credentials_isRecord(doc))
        throw new Error(`${source} is not a JSON object`);
    return dockerConfigFromObject(doc, source);
}
/** A DockerConfig from an already parsed config object. */
function dockerConfigFromObject(doc, source) {
    // `.dockercfg` is the bare map of hosts; config.json wraps it in `auths`.
    const legacy = !('auths' in doc) && !('credHelpers' in doc) && !('credsStore' in doc);
    const map = legacy ? doc : doc.auths;
    const auths = [];
    if (map !== undefined && !credentials_isRecord(map))
        throw new Error(`${source}: "auths" is not an object`);
    for (const [rawKey, value] of Object.entries(map ?? {})) {
        if (!credentials_isRecord(value))
            continue;
        const credential = credentialFrom(value, `${source}: ${rawKey}`);
        if (credential)
            auths.push({ key: normaliseKey(rawKey), credential });
    }
    const config = { source, auths };
    if (!legacy && credentials_isRecord(doc.credHelpers)) {
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
    const data = credentials_isRecord(secret.data) ? secret.data[key] : undefined;
    const stringData = credentials_isRecord(secret.stringData) ? secret.stringData[key] : undefined;
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
    return (DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB : host) + path;
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
function credentials_isRecord(v) {
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
                if (credentials_isRecord(r) && typeof r.name === 'string')
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
        this.clock = opts.clock ?? systemClock;
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
            tally.retries += retriesOf(err);
            const cause = unwrapRetryError(err);
            const failure = cause instanceof InspectionFailure
                ? cause
                : (transportFailure(cause, target.host, this.timeoutMs) ??
                    new InspectionFailure('error', `asking ${target.host} failed: ${client_messageOf(cause)}`));
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
        const apiHost = host === DOCKER_HUB ? 'registry-1.docker.io' : host;
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
        const reference = manifestReference(req.ref);
        const what = formatReference(req.ref);
        // The image's name already holds its registry; a mirror is worth naming.
        const subject = target.mirrorOf
            ? `${what} on ${target.host} (mirror of ${target.mirrorOf})`
            : what;
        const ans = await this.get(tally, target, `/v2/${target.repository}/manifests/${reference}`, MANIFEST_ACCEPT);
        if (ans.status !== 200)
            return this.explainStatus(ans, req, target, tally);
        const doc = parseJson(ans.body, `manifest of ${what}`);
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
            const childDoc = parseJson(child.body, `manifest ${chosen.digest}`);
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
            tally.retries += retriesOf(err);
            return undefined;
        }
    }
    async explainStatus(ans, req, target, tally) {
        const what = formatReference(req.ref);
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
                message: `tag ${manifestReference(req.ref)} was not found in ${target.repository} on ${where}${said}${tags ? `; the repository has ${tags.length ? client_listSome(tags, 10) : 'no tags'}` : ''}`
            };
        }
        if (ans.status === 429) {
            const retryAfterMs = parseRetryAfter(ans.headers.get('retry-after'), this.clock.now());
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
        if (target.host === DOCKER_HUB) {
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
            tally.retries += retriesOf(err);
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
            const retryAfterMs = parseRetryAfter(ans.headers.get('retry-after'), this.clock.now());
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
        const result = await withRetry(async () => {
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
                    retryAfterMs: parseRetryAfter(a.headers.get('retry-after'), this.clock.now())
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
        const message = `cannot read the CA bundle ${file} (registries.caFile): ${client_messageOf(err)}`;
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
function client_messageOf(err) {
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
function sha256(body) {
    return `sha256:${(0,external_node_crypto_.createHash)('sha256').update(body).digest('hex')}`;
}
function listOrNone(items) {
    return items.length ? items.join(', ') : 'none';
}
function client_listSome(items, n) {
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
 * in the target namespace would use, read from the cluster at the first
 * inspection. A cluster that cannot be read costs the pull secrets, not the check.
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
                early.push(`could not read the namespace's pull secrets: ${client_messageOf(err)}`);
            }
            const { configs, notes } = await collectPullCredentials({
                cluster,
                namespace: o.namespace,
                registryAuth: o.settings.registryAuth,
                env: o.env ?? process.env
            });
            for (const n of [...early, ...notes])
                o.log?.warn(`image check: ${n}`);
            return configs;
        }
    });
}

;// CONCATENATED MODULE: ./src/deps.ts
/** The real seams (cluster, registry, Prometheus) the engine runs with outside tests. */

/** Production wiring shared by the action and the CLI. */
function productionDeps(_settings, log) {
    return {
        registry: (settings, loaded, cluster, namespace) => createTargetRegistry({ settings, loaded, cluster, namespace, log })
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
                message: [c.message, c.adjustment ? `What to do: ${c.adjustment}` : ''].filter(Boolean).join('\n'),
                file: c.location.file,
                line: c.location.line,
                column: c.location.column
            });
        }
    return out.sort((a, b) => (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1));
}

;// CONCATENATED MODULE: ./src/report/format.ts
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
        return formatDuration(durationMs);
    const over = durationMs > budgetMs ? ' (over budget)' : '';
    return `${formatDuration(durationMs)} / ${formatDuration(budgetMs)}${over}`;
}
/** The gate's title with its unit: `phase database`, `tracer edb-api`. */
function gateTitle(g) {
    return g.name ? `${g.gate} ${g.name}` : g.gate;
}
/** Escapes text for a Markdown table cell. */
function cell(text) {
    return text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

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
/** A Mermaid flowchart of the gates, each node coloured by its verdict. */
function renderFlowchart(gates) {
    const lines = ['```mermaid', 'flowchart LR'];
    gates.forEach((g, i) => {
        const label = `${PHASE_LETTER[g.gate] ?? ''} ${gateTitle(g)}<br/>${g.verdict}`.trim().replace(/"/g, "'");
        lines.push(`  g${i}["${label}"]:::${MERMAID_CLASS[g.verdict]}`);
        if (i > 0)
            lines.push(`  g${i - 1} --> g${i}`);
    });
    lines.push('  classDef pass fill:#1a7f37,stroke:#116329,color:#fff', '  classDef warn fill:#9a6700,stroke:#7d4e00,color:#fff', '  classDef fail fill:#cf222e,stroke:#a40e26,color:#fff', '  classDef skip fill:#6e7781,stroke:#57606a,color:#fff', '```');
    return lines.join('\n');
}
function checkRow(c) {
    return `| ${VERDICT_ICON[c.verdict]} | ${cell(c.kind)} | ${cell(c.target)} | ${cell(c.message)} |`;
}
function checkDetails(c, planFile, withEvidence) {
    const parts = [`<details><summary>${VERDICT_ICON[c.verdict]} <b>${escapeHtml(c.kind)}</b> ${escapeHtml(c.target)}: ${escapeHtml(c.message)}</summary>`, ''];
    if (c.location)
        parts.push(`Declared at \`${c.location.file || planFile}:${c.location.line}\`${c.location.path ? ` (\`${c.location.path}\`)` : ''}.`, '');
    if (c.evidence && withEvidence)
        parts.push('```text', c.evidence.replace(/```/g, "'''"), '```', '');
    else if (c.evidence)
        parts.push('_Evidence folded into the JSON report to keep this summary under GitHub\'s size limit._', '');
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
        `### ${VERDICT_ICON[g.verdict]} ${gateTitle(g)}: ${g.verdict}`,
        '',
        `${g.checks.length} check${g.checks.length === 1 ? '' : 's'}${tally ? ` (${tally})` : ''} · ${timeAgainstBudget(g.durationMs, g.budgetMs)}`,
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
        for (const c of sorted.filter(c => c.verdict !== 'pass' && c.verdict !== 'skip').slice(0, maxRows))
            out.push(checkDetails(c, planFile, withEvidence), '');
    }
    return out.join('\n');
}
/** The job summary for a run. */
function renderSummary(report, opts = {}) {
    const render = (withEvidence, maxRows) => {
        const target = `${report.target.context ? `${report.target.context}/` : ''}${report.target.namespace}`;
        const head = [
            `## ${VERDICT_ICON[report.verdict]} phase-gate: ${report.plan} → ${target}: ${report.verdict}`,
            '',
            `Plan \`${report.planFile}\` · run \`${report.runId}\` · phase-gate ${report.tool.version}`,
            ''
        ];
        const table = ['| Gate | Verdict | Checks | Time / budget |', '| --- | --- | --- | --- |'];
        for (const g of report.gates)
            table.push(`| ${cell(gateTitle(g))} | ${VERDICT_ICON[g.verdict]} ${g.verdict} | ${g.checks.length} | ${timeAgainstBudget(g.durationMs, g.budgetMs)} |`);
        const body = report.gates.map(g => gateSection(g, report.planFile, withEvidence, maxRows));
        const foot = opts.reportPath ? [`<sub>Full report: \`${opts.reportPath}\`</sub>`] : [];
        return (0,secrets/* redact */.E$)([...head, renderFlowchart(report.gates), '', ...table, '', ...body, ...foot].join('\n')) + '\n';
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
var action_names = __webpack_require__(2814);
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
    const kubeconfig = core/* getInput */.V4(action_names/* INPUT */.bO.kubeconfig);
    const token = optional(action_names/* INPUT */.bO.githubToken);
    const registryAuth = optional(action_names/* INPUT */.bO.registryAuth);
    for (const s of [kubeconfig, token, registryAuth])
        if (s)
            (0,secrets/* registerSecret */.cl)(s);
    const gate = optional(action_names/* INPUT */.bO.gate);
    if (!gate)
        throw new core_errors/* UsageError */.eb(`input "gate" is required: one of ${[...model/* GATE_NAMES */.rn, 'all'].join(', ')}`);
    if (gate !== 'all' && !model/* GATE_NAMES */.rn.includes(gate))
        throw new core_errors/* UsageError */.eb(`input "gate" is "${gate}"; expected one of ${[...model/* GATE_NAMES */.rn, 'all'].join(', ')}`);
    const workspace = (0,external_node_path_.resolve)(env.GITHUB_WORKSPACE ?? process.cwd());
    const plan = optional(action_names/* INPUT */.bO.plan) ?? 'phase-gate.yaml';
    const runId = optional(action_names/* INPUT */.bO.runId) ?? env.GITHUB_RUN_ID;
    if (!runId)
        throw new core_errors/* UsageError */.eb('no run id: set input "run-id" (GITHUB_RUN_ID is not set outside Actions)');
    if (!LABEL_VALUE.test(runId))
        throw new core_errors/* UsageError */.eb(`input "run-id" "${runId}" is not a valid label value`);
    const lockWait = optional(action_names/* INPUT */.bO.lockWait);
    const lockWaitMs = lockWait === undefined ? undefined : parseDuration(lockWait);
    if (lockWait !== undefined && lockWaitMs === undefined)
        throw new core_errors/* UsageError */.eb(`input "lock-wait" "${lockWait}" is not a duration like 30s or 5m`);
    const reports = optional(action_names/* INPUT */.bO.reports);
    return {
        gate: gate,
        planPath: (0,external_node_path_.resolve)(workspace, plan),
        phase: optional(action_names/* INPUT */.bO.phase),
        tracer: optional(action_names/* INPUT */.bO.tracer),
        stage: optional(action_names/* INPUT */.bO.stage),
        level: optional(action_names/* INPUT */.bO.level),
        runId,
        runIdGiven: true,
        kubeconfig: kubeconfig.trim() ? { kind: 'content', content: kubeconfig } : { kind: 'default' },
        context: optional(action_names/* INPUT */.bO.context),
        namespace: optional(action_names/* INPUT */.bO.namespace),
        dryRun: bool(action_names/* INPUT */.bO.dryRun, false),
        githubToken: token,
        comment: bool(action_names/* INPUT */.bO.comment, true),
        registryAuth,
        reportsDir: reports ? (0,external_node_path_.resolve)(workspace, reports) : undefined,
        workspace,
        lockWaitMs,
        mirrors: mirrorsFromEnv(env)
    };
}

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
        this.#clock = opts.clock ?? systemClock;
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
                throw new GitHubApiError(0, method, path, `unreachable: ${message}`, undefined, attempt);
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
            throw new GitHubApiError(res.status, method, path, message, documentationUrl, attempt);
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
                throw new GitHubApiError(0, 'GET', path, `pagination link leaves ${this.apiUrl}: not followed`);
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
        const retryAfter = client_parseRetryAfter(res.headers.get('retry-after'), this.#clock.now());
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
            if (err instanceof GitHubApiError && err.status === 404)
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
            if (err instanceof GitHubApiError && err.status === 404)
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
            throw new GitHubApiError(res.status, 'POST', this.repoPath('/deployments'), 'deployment not created');
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
function client_parseRetryAfter(value, now) {
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
    const used = formatDuration(r.durationMs);
    if (r.budgetMs === undefined)
        return used;
    const over = r.durationMs > r.budgetMs ? ' ⏰ over budget' : '';
    return `${used} / ${formatDuration(r.budgetMs)}${over}`;
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
const VERDICTS = new Set([
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
        const verdict = attrs.verdict && VERDICTS.has(attrs.verdict) ? attrs.verdict : undefined;
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
    const clock = opts.clock ?? systemClock;
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
                if (isApiStatus(err, 404) && attempt < maxAttempts)
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
    if (err instanceof GitHubApiError) {
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
    core/* saveState */.LZ(action_names/* STATE */.c4.tempDir, dir);
    core/* saveState */.LZ(action_names/* STATE */.c4.kubeconfigPath, path);
    return { ...settings, kubeconfig: { kind: 'path', path } };
}
/** Where the JSON report goes: a stable path per gate so a workflow can upload it. */
function reportPath(settings) {
    const base = process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)();
    const unit = settings.phase ?? settings.tracer ?? settings.stage ?? settings.level;
    return (0,external_node_path_.join)(base, 'phase-gate', `${settings.gate}${unit ? `-${unit}` : ''}.json`);
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
            planUrl: sha ? blobUrl(github.serverUrl ?? 'https://github.com', github.repo, sha, report.planFile) : undefined,
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
async function run_run() {
    (0,secrets/* onSecret */.IJ)(s => core/* setSecret */.Pq(s));
    let settings;
    try {
        settings = await materialiseKubeconfig(readInputs());
    }
    catch (err) {
        core/* setOutput */.uH(action_names/* OUTPUT */.aQ.verdict, 'error');
        core/* setOutput */.uH(action_names/* OUTPUT */.aQ.failed, 'true');
        core/* setFailed */.C1((0,secrets/* redact */.E$)((0,core_errors/* errorMessage */.gJ)(err)));
        process.exitCode = 2;
        return;
    }
    core/* saveState */.LZ(action_names/* STATE */.c4.runId, settings.runId);
    core/* saveState */.LZ(action_names/* STATE */.c4.gate, settings.gate);
    core/* saveState */.LZ(action_names/* STATE */.c4.planPath, settings.planPath);
    if (settings.context)
        core/* saveState */.LZ(action_names/* STATE */.c4.context, settings.context);
    const github = connectGitHub(settings);
    let report;
    let plan;
    try {
        const result = await runEngine(settings, { ...productionDeps(settings, actionLogger), log: actionLogger, github });
        report = result.report;
        plan = result.loaded.plan;
        core/* saveState */.LZ(action_names/* STATE */.c4.namespace, report.target.namespace);
        core/* saveState */.LZ(action_names/* STATE */.c4.plan, report.plan);
    }
    catch (err) {
        core/* setOutput */.uH(action_names/* OUTPUT */.aQ.verdict, 'error');
        core/* setOutput */.uH(action_names/* OUTPUT */.aQ.failed, 'true');
        if (err instanceof core_errors/* UsageError */.eb) {
            for (const p of err.problems) {
                const m = /^(.*?):(\d+):(\d+): (.*)$/.exec(p);
                if (m)
                    core/* error */.z3((0,secrets/* redact */.E$)(m[4]), { file: m[1], startLine: Number(m[2]), startColumn: Number(m[3]), title: 'phase-gate: invalid plan' });
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
    const path = settings.reportPath ?? reportPath(settings);
    await (0,promises_.mkdir)((0,external_node_path_.join)(path, '..'), { recursive: true });
    await (0,promises_.writeFile)(path, (0,secrets/* redact */.E$)(`${JSON.stringify(report, null, 2)}\n`));
    const commentNote = await updateComment(github, settings, report, plan);
    await core/* summary */.z.addRaw(renderSummary(report, { reportPath: path }) + (commentNote ? `\n> ${commentNote}\n` : '')).write();
    for (const a of collectAnnotations(report)) {
        const props = { title: a.title, file: a.file, startLine: a.line, startColumn: a.column };
        if (a.level === 'error')
            core/* error */.z3((0,secrets/* redact */.E$)(a.message), props);
        else
            core/* warning */.$e((0,secrets/* redact */.E$)(a.message), props);
    }
    core/* setOutput */.uH(action_names/* OUTPUT */.aQ.verdict, report.verdict);
    core/* setOutput */.uH(action_names/* OUTPUT */.aQ.report, path);
    core/* setOutput */.uH(action_names/* OUTPUT */.aQ.failed, (0,model/* isPassing */.WG)(report.verdict) ? 'false' : 'true');
    if (!(0,model/* isPassing */.WG)(report.verdict)) {
        const failedChecks = report.gates.flatMap(g => g.checks).filter(c => !(0,model/* isPassing */.WG)(c.verdict));
        core/* setFailed */.C1((0,secrets/* redact */.E$)(`phase-gate ${settings.gate}: ${report.verdict}: ${failedChecks.slice(0, 3).map(c => `${c.kind} ${c.target}: ${c.message}`).join('; ')}${failedChecks.length > 3 ? ` (and ${failedChecks.length - 3} more)` : ''}`));
        process.exitCode = (0,model/* exitCodeFor */.Rr)(report.verdict);
    }
}


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
    const status = err instanceof _kube_types_js__WEBPACK_IMPORTED_MODULE_1__/* .KubeApiError */ .W3 && err.status ? ` (HTTP ${err.status}${err.reason ? ` ${err.reason}` : ''})` : '';
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
