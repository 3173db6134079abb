// The bench's wait probe: phase-gate's own watch-based wait (the code path
// the tracer and phase gates use) on one object, reporting on stdout the
// moment the wait is listening and the moment its verdict lands, as epoch
// milliseconds. Bundled by the wait-latency section; not part of the product.
import { connectCluster } from '../../src/kube/client.js'
import { waitForObjects } from '../../src/kube/wait.js'
import type { KubeObject } from '../../src/kube/types.js'

async function main(): Promise<void> {
  const [kubeconfigPath, namespace, name] = process.argv.slice(2)
  const cluster = await connectCluster({ kubeconfigPath })
  let announced = false
  const healthy = (o: KubeObject | undefined): boolean =>
    (o?.status as { health?: { status?: string } } | undefined)?.health?.status === 'Healthy'
  const outcome = await waitForObjects(
    cluster,
    [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', name, namespace }],
    {
      timeoutMs: 60_000,
      failFast: true,
      until: o => (healthy(o) ? 'done' : 'pending'),
      onProgress: p => {
        if (!announced && p.state === 'pending') {
          announced = true
          process.stdout.write(`listening ${Date.now()}\n`)
        }
      }
    }
  )
  process.stdout.write(`verdict ${Date.now()} ${outcome.result}\n`)
  cluster.close()
}

void main()
