import { describe, expect, it } from 'vitest';
import { registerSecret } from '@perpetua/telemetry';
import { crashText } from '../src/crash-text.js';

describe('crashText', () => {
  it("masks every registered secret in a failed command's last words, stack and message alike", () => {
    const key = 'CRASHKEY-7d3a9e1c5b2f4a6e8c0d';
    registerSecret(key);
    const err = new Error(`venue refused the request: {"apiKey":"${key}"}`);
    for (const text of [crashText(err), crashText(err, false), crashText(`thrown as text: ${key}`)]) {
      expect(text).not.toContain(key);
      expect(text).toContain('[redacted]');
    }
    expect(crashText(err)).toContain('at ');
    expect(crashText(err, false)).not.toContain('\n');
  });
});
