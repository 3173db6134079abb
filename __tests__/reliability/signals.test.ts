// The first SIGINT/SIGTERM cancels the run; later ones only say that cleanup goes on.
import { describe, expect, it } from '@jest/globals'
import { EventEmitter } from 'node:events'
import { memoryLogger } from '../../src/core/log.js'
import { onTermination } from '../../src/core/signals.js'

function fakeProcess(): EventEmitter & Pick<NodeJS.Process, 'on' | 'off'> {
  return new EventEmitter() as EventEmitter & Pick<NodeJS.Process, 'on' | 'off'>
}

describe('onTermination', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s aborts once; a second signal of either kind is logged, not acted on',
    sig => {
      const proc = fakeProcess()
      const log = memoryLogger()
      const t = onTermination(log, proc)
      expect(t.signal.aborted).toBe(false)
      proc.emit(sig)
      expect(t.signal.aborted).toBe(true)
      expect(t.received()).toBe(sig)
      const other = sig === 'SIGINT' ? 'SIGTERM' : 'SIGINT'
      proc.emit(other)
      expect(t.received()).toBe(sig)
      expect(log.lines).toEqual([
        `warning: ${sig}: stopping; cleaning up what this run created`,
        `warning: ${other} again: cleanup is running and will finish; the post step or the next run removes anything it cannot`
      ])
      t.dispose()
    }
  )

  it('stops listening when disposed', () => {
    const proc = fakeProcess()
    const t = onTermination(memoryLogger(), proc)
    expect(proc.listenerCount('SIGTERM')).toBe(1)
    t.dispose()
    expect(proc.listenerCount('SIGTERM')).toBe(0)
    expect(proc.listenerCount('SIGINT')).toBe(0)
    proc.emit('SIGTERM')
    expect(t.signal.aborted).toBe(false)
  })
})
