/** A one-line live status on a terminal; plain lines every few seconds when not a TTY. */
export class StatusLine {
  private lastPlain = 0;

  constructor(private readonly out: NodeJS.WriteStream) {}

  render(text: string): void {
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[2K${text}`);
      return;
    }
    const now = Date.now();
    if (now - this.lastPlain >= 5000) {
      this.lastPlain = now;
      this.out.write(`${text}\n`);
    }
  }

  clear(): void {
    if (this.out.isTTY) this.out.write('\r\x1b[2K');
  }
}
