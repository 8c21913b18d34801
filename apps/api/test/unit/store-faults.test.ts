import { describe, expect, it } from 'vitest'
import { isTransientRedisError } from '../../src/store/redis/redis-faults.js'
import { isTransientSqliteError } from '../../src/store/sqlite/sqlite-faults.js'

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code })

describe('which storage errors may pass', () => {
  it.each([
    'SQLITE_FULL',
    'SQLITE_BUSY',
    'SQLITE_BUSY_SNAPSHOT',
    'SQLITE_LOCKED',
    'SQLITE_IOERR_WRITE',
    'SQLITE_IOERR',
  ])('SQLite: %s is waited out', (code) => {
    expect(isTransientSqliteError(withCode(code))).toBe(true)
  })

  it.each(['SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_CORRUPT', 'SQLITE_READONLY', 'SQLITE_ERROR'])(
    'SQLite: %s is not',
    (code) => {
      expect(isTransientSqliteError(withCode(code))).toBe(false)
    },
  )

  it('Redis: a connection lost or refused, or a Redis loading or out of memory, is waited out', () => {
    const maxRetries = Object.assign(new Error('Reached the max retries per request limit'), {
      name: 'MaxRetriesPerRequestError',
    })
    for (const err of [
      maxRetries,
      new Error('Connection is closed.'),
      withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:6380'),
      new Error('LOADING Redis is loading the dataset in memory'),
      new Error("OOM command not allowed when used memory > 'maxmemory'."),
      new Error("READONLY You can't write against a read only replica."),
    ])
      expect([err.message, isTransientRedisError(err)]).toEqual([err.message, true])
  })

  it('Redis: our scripts refusing an append, or a wrong password, are not', () => {
    for (const err of [
      new Error('ERR INKFLOW_SEQ 7'),
      new Error('WRONGPASS invalid username-password pair or user is disabled.'),
      new Error('NOSCRIPT No matching script'),
      'not an error',
    ])
      expect(isTransientRedisError(err)).toBe(false)
  })
})
