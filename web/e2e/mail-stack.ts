/**
 * The suite's real mail servers on loopback (`.ci/mailstack.sh`: Exim SMTP delivering into
 * Dovecot IMAP), for the browser tests that need them (mail.e2e.ts, forms.e2e.ts): where they
 * are, whether they answer, and a mailbox of a test's own.
 *
 * The servers are found through FRONTLINE_TEST_SMTP, FRONTLINE_TEST_IMAP and
 * FRONTLINE_TEST_MAIL_DIR (the Makefile's defaults when unset). A mailbox is a line
 * `name:{PLAIN}password` appended to the servers' user file, whose modification time is then moved
 * on (as `frontline_testkit::mail` does). When the servers do not answer, a test fails under CI
 * and is skipped otherwise.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { accessSync, appendFileSync, constants, statSync, utimesSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

/** Under CI a test whose mail servers do not answer fails instead of being skipped. */
export const inCi = !!process.env.CI && process.env.CI !== 'false';

export const MAIL = {
  smtp: process.env.FRONTLINE_TEST_SMTP || '127.0.0.1:14025',
  imap: process.env.FRONTLINE_TEST_IMAP || '127.0.0.1:14143',
  dir: process.env.FRONTLINE_TEST_MAIL_DIR || '/tmp/frontline-mail',
};

export function hostPort(v: string): { host: string; port: number } {
  const at = v.lastIndexOf(':');
  return { host: v.slice(0, at), port: Number(v.slice(at + 1)) };
}

/** Whether something accepts a connection at `host:port` within 2 s. */
function answers(v: string): Promise<boolean> {
  const { host, port } = hostPort(v);
  return new Promise((done) => {
    const socket = connect({ host, port });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(2_000, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** Why the mail servers cannot be used, or null when they can. */
export async function mailStackTrouble(): Promise<string | null> {
  const users = join(MAIL.dir, 'users');
  try {
    accessSync(users, constants.W_OK);
  } catch {
    return `the mail servers' user file ${users} is missing or not writable`;
  }
  for (const v of [MAIL.smtp, MAIL.imap]) if (!(await answers(v))) return `nothing answers at ${v}`;
  return null;
}

/**
 * Adds the line and moves the file's time on by a second at least: Dovecot reads the file again
 * when its modification time changes, to the second. Run under `flock` on the file, as the Rust
 * tests take the same lock, so additions from parallel test processes are all seen.
 */
const ADD_MAILBOX = `
const fs = require('node:fs');
const [file, line] = process.argv.slice(1);
fs.appendFileSync(file, line + '\\n');
const st = fs.statSync(file);
fs.utimesSync(file, st.atime, new Date(Math.max(st.mtimeMs + 1000, Date.now())));
`;

export interface Mailbox {
  user: string;
  password: string;
  address: string;
}

/** A new mailbox `<name>-<unique>@mail.test` on the test servers. */
export function addMailbox(name: string): Mailbox {
  const user = `${name}-${randomUUID().replace(/-/g, '').slice(-12)}`;
  const password = `pw-${randomUUID().replace(/-/g, '')}`;
  const file = join(MAIL.dir, 'users');
  const line = `${user}:{PLAIN}${password}`;
  try {
    execFileSync('flock', ['-x', file, process.execPath, '-e', ADD_MAILBOX, file, line], { timeout: 15_000, stdio: 'pipe' });
  } catch (e) {
    // No `flock` here: the same steps without the lock.
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    appendFileSync(file, `${line}\n`);
    const st = statSync(file);
    utimesSync(file, st.atime, new Date(Math.max(st.mtimeMs + 1000, Date.now())));
  }
  return { user, password, address: `${user}@mail.test` };
}

/** Whether Dovecot lets the mailbox sign in (IMAP LOGIN). */
function signsIn(box: { user: string; password: string }): Promise<boolean> {
  const { host, port } = hostPort(MAIL.imap);
  return new Promise((done) => {
    const socket = connect({ host, port });
    let seen = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(5_000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('data', () => socket.write(`a1 LOGIN ${box.user} ${box.password}\r\na2 LOGOUT\r\n`));
    socket.on('data', (chunk) => {
      seen += chunk.toString();
      if (/^a1 OK/m.test(seen)) finish(true);
      else if (/^a1 (NO|BAD)/m.test(seen)) finish(false);
    });
  });
}

/** Waits until Dovecot sees a new mailbox (it looks at its user file at most once a second). */
export async function untilSeen(box: { user: string; password: string }): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await signsIn(box))) {
    if (Date.now() > deadline) throw new Error(`the mail servers never saw the mailbox ${box.user}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
