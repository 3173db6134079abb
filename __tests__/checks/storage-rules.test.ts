// The storage check's access-mode and binding-mode rules as decisions:
// known provisioners' modes, the class annotation overriding them, the
// default class, WaitForFirstConsumer claims nothing mounts, and Immediate
// classes of zonal or node-local provisioners.
import { describe, expect, it } from '@jest/globals'
import {
  accessModesSupported,
  classAccessModes,
  judgeBinding,
  judgeClaim,
  mountedClaims,
  storageClassInfo,
  type ClaimRef,
  type StorageClassInfo
} from '../../src/checks/storage-class.js'
import { parseManifests } from '../../src/plan/manifests.js'

const cls = (
  name: string,
  provisioner: string,
  extra: Partial<StorageClassInfo> = {}
): StorageClassInfo => ({ name, provisioner, isDefault: false, ...extra })

const pvc = (modes: string[], className?: string, name = 'data'): ClaimRef => ({
  manifest: parseManifests(
    `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: ${name}}\n`,
    'pvc.yaml'
  )[0],
  path: 'spec',
  name,
  className,
  accessModes: modes
})

const EBS = cls('gp3', 'ebs.csi.aws.com', {
  isDefault: true,
  volumeBindingMode: 'WaitForFirstConsumer'
})
const EFS = cls('efs', 'efs.csi.aws.com', { volumeBindingMode: 'Immediate' })
const ODD = cls('odd', 'vendor.example.com/thing')
const ANNOTATED = cls('nfs', 'vendor.example.com/thing', {
  accessModes: ['ReadWriteOnce', 'ReadWriteMany']
})

describe('access modes against the class', () => {
  it.each<
    [string, string[], string | undefined, StorageClassInfo[], string | undefined, RegExp | null]
  >([
    ['RWO on EBS', ['ReadWriteOnce'], 'gp3', [EBS], 'pass', null],
    [
      'RWX on EBS',
      ['ReadWriteMany'],
      'gp3',
      [EBS, EFS],
      'fail',
      /use a class that gives ReadWriteMany: efs/
    ],
    [
      'RWX on the default class (EBS)',
      ['ReadWriteMany'],
      undefined,
      [EBS],
      'fail',
      /no class here gives ReadWriteMany/
    ],
    [
      'RWOP on in-tree EBS',
      ['ReadWriteOncePod'],
      'old',
      [cls('old', 'kubernetes.io/aws-ebs')],
      'fail',
      null
    ],
    ['ROX+RWX on EFS', ['ReadOnlyMany', 'ReadWriteMany'], 'efs', [EFS], 'pass', null],
    ['RWX on an unknown provisioner', ['ReadWriteMany'], 'odd', [ODD], undefined, null],
    ['RWX where the annotation says so', ['ReadWriteMany'], 'nfs', [ANNOTATED], 'pass', null],
    [
      'ROX where the annotation says no',
      ['ReadOnlyMany'],
      'nfs',
      [ANNOTATED],
      'fail',
      /annotate the class/
    ],
    ['static binding', ['ReadWriteMany'], '', [EBS], undefined, null],
    ['a class that does not exist', ['ReadWriteMany'], 'none', [EBS], undefined, null]
  ])('%s', (_n, modes, className, classes, verdict, adjustment) => {
    const r = accessModesSupported(pvc(modes, className), classes)
    expect(r?.verdict).toBe(verdict)
    if (adjustment) expect(r?.adjustment).toMatch(adjustment)
  })

  it('says where the modes come from and fails the claim through judgeClaim', () => {
    const r = judgeClaim(pvc(['ReadWriteMany'], 'gp3'), [EBS])
    expect(r).toMatchObject({
      verdict: 'fail',
      message:
        'data asks for ReadWriteMany, which StorageClass gp3 (ebs.csi.aws.com) cannot give: the claim would stay Pending (ProvisioningFailed)',
      evidence:
        "StorageClass gp3 gives ReadWriteOnce, ReadWriteOncePod (from phase-gate's table of known provisioners (ebs.csi.aws.com))"
    })
    expect(classAccessModes(ANNOTATED)?.from).toBe('its annotation phase-gate.dev/access-modes')
  })

  it('reads the annotation from a StorageClass object', () => {
    const info = storageClassInfo({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: {
        name: 'shared',
        annotations: { 'phase-gate.dev/access-modes': 'ReadWriteOnce, ReadWriteMany' }
      },
      provisioner: 'phase-gate.dev/local'
    })
    expect(info.accessModes).toEqual(['ReadWriteOnce', 'ReadWriteMany'])
  })
})

describe('binding mode', () => {
  const mounts = mountedClaims(
    parseManifests(
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  template:
    spec:
      containers: [{name: c, image: x}]
      volumes: [{name: d, persistentVolumeClaim: {claimName: used}}]
`,
      'app.yaml'
    ),
    'shop'
  )
  const LOCAL_IMMEDIATE = cls('local', 'rancher.io/local-path', { volumeBindingMode: 'Immediate' })
  const LOCAL_WAIT = cls('local-wait', 'rancher.io/local-path', {
    volumeBindingMode: 'WaitForFirstConsumer'
  })
  it.each<[string, ClaimRef, StorageClassInfo[], string | undefined, RegExp | null]>([
    [
      'WFFC, mounted by a Deployment',
      pvc(['ReadWriteOnce'], 'gp3', 'used'),
      [EBS],
      undefined,
      null
    ],
    [
      'WFFC, mounted by nothing',
      pvc(['ReadWriteOnce'], 'gp3', 'lonely'),
      [EBS, EFS],
      'warn',
      /Immediate \(efs\)/
    ],
    [
      'WFFC by default class, mounted by nothing',
      pvc(['ReadWriteOnce'], undefined, 'lonely'),
      [EBS],
      'warn',
      null
    ],
    ['Immediate, shared filesystem', pvc(['ReadWriteMany'], 'efs'), [EFS], undefined, null],
    [
      'Immediate, node-local',
      pvc(['ReadWriteOnce'], 'local'),
      [LOCAL_IMMEDIATE, LOCAL_WAIT],
      'warn',
      /WaitForFirstConsumer \(local-wait\)/
    ],
    [
      'binding mode unset means Immediate',
      pvc(['ReadWriteOnce'], 'ebs'),
      [cls('ebs', 'ebs.csi.aws.com')],
      'warn',
      null
    ]
  ])('%s', (_n, claim, classes, verdict, adjustment) => {
    const r = judgeBinding(claim, classes, mounts, 'shop')
    expect(r?.verdict).toBe(verdict)
    if (adjustment) expect(r?.adjustment).toMatch(adjustment)
  })

  it('only counts a mount in the claim’s namespace', () => {
    expect(mounts).toEqual(new Set(['shop/used']))
    expect(
      judgeBinding(pvc(['ReadWriteOnce'], 'gp3', 'used'), [EBS], mounts, 'other')?.verdict
    ).toBe('warn')
  })
})
