// A small stand-in for the `vscode` module, enough for the extension's services (settings, the provider
// host, the credits and model status items, the model catalog) to run under plain Node. Loaded in place
// of `vscode` by ./install.ts. Configuration, status bar items and messages are kept here for tests to
// set and read.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

type Listener<T> = (value: T) => unknown;

export class Disposable {
  static from(...items: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  constructor(private readonly onDispose: () => unknown) {}
  dispose(): void {
    this.onDispose();
  }
}

export class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  static file(path: string): Uri {
    return new Uri('file', path);
  }
  static parse(value: string): Uri {
    return new Uri(value.split(':')[0] ?? 'file', value);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, join(base.path, ...parts));
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

export class FileSystemError extends Error {}

export class MarkdownString {
  value = '';
  constructor(value = '', readonly supportThemeIcons = false) {
    this.value = value;
  }
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
  appendText(text: string): this {
    this.value += text;
    return this;
  }
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}

export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}

export interface StandInStatusBarItem {
  id: string;
  text: string;
  name?: string;
  tooltip?: string | MarkdownString;
  command?: string;
  backgroundColor?: ThemeColor;
  accessibilityInformation?: { label: string };
  visible: boolean;
  show(): void;
  hide(): void;
  dispose(): void;
}

/** What tests set and read. */
export const standIn = {
  configuration: new Map<string, unknown>(),
  /** A workspace's `.vscode/settings.json`: its values win over the user's in `get`, as in VS Code. */
  workspaceConfiguration: new Map<string, unknown>(),
  statusBarItems: new Map<string, StandInStatusBarItem>(),
  messages: [] as Array<{ level: 'info' | 'warning' | 'error'; text: string }>,
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  configurationChanged: new EventEmitter<{ affectsConfiguration(section: string): boolean }>(),
  windowState: { focused: true },
  windowStateChanged: new EventEmitter<{ focused: boolean }>(),
  /** Quick picks on screen: a test answers one with `answer(label)` (a label's text, or undefined for Escape). */
  quickPicks: [] as StandInQuickPick[],
  quickPickShown: new EventEmitter<StandInQuickPick>(),
  /** Input boxes on screen: a test types into one with `answer(text)` (undefined for Escape). */
  inputBoxes: [] as StandInInputBox[],
  inputBoxShown: new EventEmitter<StandInInputBox>(),
  /** Focuses or blurs the window, as the user switching to or from it would. */
  setFocused(focused: boolean): void {
    this.windowState = { focused };
    this.windowStateChanged.fire({ focused });
  },
  /** Sets `section.key` (as the user would in settings.json) and fires the change event. */
  setConfiguration(key: string, value: unknown): void {
    if (value === undefined) this.configuration.delete(key);
    else this.configuration.set(key, value);
    this.configurationChanged.fire({ affectsConfiguration: (section) => key === section || key.startsWith(`${section}.`) });
  },
  /** Sets `section.key` in the workspace's settings and fires the change event. */
  setWorkspaceConfiguration(key: string, value: unknown): void {
    if (value === undefined) this.workspaceConfiguration.delete(key);
    else this.workspaceConfiguration.set(key, value);
    this.configurationChanged.fire({ affectsConfiguration: (section) => key === section || key.startsWith(`${section}.`) });
  },
  reset(): void {
    this.windowState = { focused: true };
    this.configuration.clear();
    this.workspaceConfiguration.clear();
    this.statusBarItems.clear();
    this.messages.length = 0;
    this.commands.clear();
    this.quickPicks.length = 0;
    this.inputBoxes.length = 0;
  },
};

export interface StandInInputBox {
  title: string | undefined;
  /** What the box's validation says about `text` (undefined: accepted). */
  validate(text: string): string | undefined;
  answer(text: string | undefined): void;
}

export interface StandInQuickPick {
  title: string | undefined;
  labels: string[];
  answer(label: string | undefined): void;
}

export const workspace = {
  onDidChangeConfiguration: standIn.configurationChanged.event,
  getConfiguration(section: string) {
    const full = (key: string): string => `${section}.${key}`;
    return {
      get<T>(key: string, fallback?: T): T | undefined {
        for (const level of [standIn.workspaceConfiguration, standIn.configuration]) if (level.has(full(key))) return level.get(full(key)) as T;
        return fallback;
      },
      inspect<T>(key: string): { globalValue?: T; workspaceValue?: T } | undefined {
        return { globalValue: standIn.configuration.get(full(key)) as T | undefined, workspaceValue: standIn.workspaceConfiguration.get(full(key)) as T | undefined };
      },
    };
  },
  fs: {
    async readFile(uri: Uri): Promise<Uint8Array> {
      try {
        return await readFile(uri.fsPath);
      } catch (error) {
        throw (error as { code?: string }).code === 'ENOENT' ? new FileSystemError(`${uri.fsPath} not found`) : error;
      }
    },
    async writeFile(uri: Uri, bytes: Uint8Array): Promise<void> {
      await writeFile(uri.fsPath, bytes);
    },
    async createDirectory(uri: Uri): Promise<void> {
      await mkdir(uri.fsPath, { recursive: true });
    },
  },
};

function message(level: 'info' | 'warning' | 'error') {
  return (text: string): Promise<undefined> => {
    standIn.messages.push({ level, text });
    return Promise.resolve(undefined);
  };
}

export const window = {
  get state(): { focused: boolean } {
    return standIn.windowState;
  },
  onDidChangeWindowState: standIn.windowStateChanged.event,
  createStatusBarItem(id: string): StandInStatusBarItem {
    const item: StandInStatusBarItem = {
      id,
      text: '',
      visible: false,
      show: () => void (item.visible = true),
      hide: () => void (item.visible = false),
      dispose: () => void standIn.statusBarItems.delete(id),
    };
    standIn.statusBarItems.set(id, item);
    return item;
  },
  /** Shows nothing: the pick waits in `standIn.quickPicks` until a test answers it. */
  showQuickPick<T extends { label: string }>(items: readonly T[], options: { title?: string } = {}): Promise<T | undefined> {
    return new Promise((resolve) => {
      const pick: StandInQuickPick = {
        title: options.title,
        labels: items.map((item) => item.label),
        answer: (label) => {
          standIn.quickPicks.splice(standIn.quickPicks.indexOf(pick), 1);
          resolve(label === undefined ? undefined : items.find((item) => item.label.includes(label)));
        },
      };
      standIn.quickPicks.push(pick);
      standIn.quickPickShown.fire(pick);
    });
  },
  /** Shows nothing: the box waits in `standIn.inputBoxes` until a test answers it (validation applies, as in VS Code). */
  showInputBox(options: { title?: string; validateInput?(value: string): string | undefined } = {}): Promise<string | undefined> {
    return new Promise((resolve) => {
      const box: StandInInputBox = {
        title: options.title,
        validate: (text) => options.validateInput?.(text) ?? undefined,
        answer: (text) => {
          if (text !== undefined && box.validate(text) !== undefined) throw new Error(`VS Code would not accept "${text}": ${box.validate(text) ?? ''}`);
          standIn.inputBoxes.splice(standIn.inputBoxes.indexOf(box), 1);
          resolve(text);
        },
      };
      standIn.inputBoxes.push(box);
      standIn.inputBoxShown.fire(box);
    });
  },
  showInformationMessage: message('info'),
  showWarningMessage: message('warning'),
  showErrorMessage: message('error'),
  /** Runs the task at once with a token that is never cancelled. */
  withProgress<R>(_options: unknown, task: (progress: { report(value: unknown): void }, token: { isCancellationRequested: boolean; onCancellationRequested(listener: () => unknown): Disposable }) => Promise<R>): Promise<R> {
    return task({ report: () => undefined }, { isCancellationRequested: false, onCancellationRequested: () => new Disposable(() => undefined) });
  },
};

export const commands = {
  registerCommand(id: string, run: (...args: unknown[]) => unknown): Disposable {
    standIn.commands.set(id, run);
    return new Disposable(() => standIn.commands.delete(id));
  },
  async executeCommand(id: string, ...args: unknown[]): Promise<unknown> {
    return standIn.commands.get(id)?.(...args);
  },
};

export const env = {
  openExternal: (): Promise<boolean> => Promise.resolve(true),
};
