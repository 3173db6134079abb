/**
 * The shapes of a run's overrides (`--image NAME=REF`, `--set PHASE.KEY=VALUE`),
 * below both the plan and the renderers that apply them (src/render/).
 */

/** One `NAME=REF` given for this run. */
export interface ImageOverride {
  /** Repository as written, without tag or digest. */
  name: string
  /** New repository, when REF names one. */
  newName?: string
  newTag?: string
  newDigest?: string
  /** `NAME=REF` as given, for reports. */
  text: string
}

/** `--set PHASE.KEY=VALUE`: passed to that Helm phase as `--set KEY=VALUE`. */
export interface HelmSetOverride {
  phase: string
  /** `KEY=VALUE` as helm takes it. */
  set: string
  /** As given, for reports. */
  text: string
}

/** The run's overrides. */
export interface PlanOverrides {
  images: ImageOverride[]
  helmSet: HelmSetOverride[]
  /** Every image seen as written, before overriding (to name overrides that match none). */
  written?: Set<string>
}
