// A settings section with its own vscode-free parser (`openrouter.routing.*`, `openrouter.completions.*`): read
// once, validated, read again when the section changes; each problem logged, and shown once per window.
import * as vscode from 'vscode';
import type { Log } from '../log/logger';
import { Disposable } from '../util/dispose';
import type { WorkspaceConsent } from './workspaceConsent';
import { valueKey } from './workspaceConsentRules';

export interface SectionSettingsSpec<T> {
  /** e.g. `openrouter.routing`. */
  section: string;
  /** The keys under the section that the parser reads. */
  keys: Readonly<Record<string, string>>;
  parse(raw: Record<string, unknown>): { value: T; problems: readonly string[] };
  /** A last say over the parsed value, given the section (e.g. what an untrusted workspace may not choose). */
  adjust?(value: T, config: vscode.WorkspaceConfiguration): T;
}

export class SectionSettingsReader<T> extends Disposable {
  private current: T;
  private readonly reported = new Set<string>();
  private readonly _onDidChange = this._register(new vscode.EventEmitter<T>());
  readonly onDidChange = this._onDidChange.event;

  constructor(
    private readonly spec: SectionSettingsSpec<T>,
    private readonly log: Log,
    private readonly consent: WorkspaceConsent,
  ) {
    super();
    this.current = this.read();
    this._register(vscode.workspace.onDidChangeConfiguration((event) => (event.affectsConfiguration(spec.section) ? this.reread() : undefined)));
    // An answer about the workspace's values, or prices now known: read again, and tell only when a value changed.
    this._register(consent.onDidChange(() => (valueKey(this.read()) === valueKey(this.current) ? undefined : this.reread())));
  }

  protected get value(): Readonly<T> {
    return this.current;
  }

  /** Reads the section again and tells the listeners. */
  protected reread(): void {
    this.current = this.read();
    this._onDidChange.fire(this.current);
  }

  private read(): T {
    const config = vscode.workspace.getConfiguration(this.spec.section);
    // Through the consent: a workspace value that costs more or shares more waits for the user's yes.
    const raw = Object.fromEntries(Object.values(this.spec.keys).map((key) => [key, this.consent.read(config, this.spec.section, key)]));
    const { value, problems } = this.spec.parse(raw);
    for (const problem of problems) this.report(problem);
    return this.spec.adjust ? this.spec.adjust(value, config) : value;
  }

  private report(problem: string): void {
    this.log.warn(problem);
    if (this.reported.has(problem)) return;
    this.reported.add(problem);
    void vscode.window.showWarningMessage(problem);
  }
}
