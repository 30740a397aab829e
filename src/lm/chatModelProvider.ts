import * as vscode from 'vscode';
import type { ApiKeyStore } from '../apiKey/apiKeyStore';
import { toAbortSignal } from '../util/cancellation';
import { commandIds } from '../commands/commandIds';
import { Disposable } from '../util/dispose';
import type { Log } from '../log/logger';
import type { ModelCatalog } from '../models/modelCatalog';
import type { ChatRequest, Model } from '../openrouter/types';
import type { ProviderHost } from '../host/providerHost';
import type { RoutingSettingsReader } from '../routing/routingSettingsReader';
import { conversationSessionId } from './conversationSession';
import { mapLmError } from './errorMapping';
import { pickModelOptions, toOpenRouterMessages, toOpenRouterTools } from './messages';
import { toModelInformationList } from './modelInformation';
import { estimateMessageTokens } from './messageTokens';
import { ResponseTranslator, type ResponsePart } from './responseStream';
import { encodeReasoningDetails, REASONING_DETAILS_MIME } from './reasoningPart';
import { errorText } from '../util/errorText';
import type { BudgetGuard, GenerationRecord, UsageRecorder } from '../usage';
import { runAnswer } from '../answer';
import { formatUsd } from '../util/usd';

export interface ChatModelProviderDeps {
  host: ProviderHost;
  catalog: ModelCatalog;
  keys: ApiKeyStore;
  routing: RoutingSettingsReader;
  log: Log;
  /** The budget guard every request asks first, and the usage record each answer's cost goes to. */
  usage?: { guard: Pick<BudgetGuard, 'confirmSend'>; recorder: Pick<UsageRecorder, 'record'> };
}

const NO_KEY_MESSAGE = 'OpenRouter needs an API key before its models can answer. Run "OpenRouter: Set API Key".';

/** OpenRouter's models in the editor's own chat, answered through the one shared provider. */
export class OpenRouterChatModelProvider extends Disposable implements vscode.LanguageModelChatProvider {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeLanguageModelChatInformation = this._onDidChange.event;

  private readonly routing: ReturnType<RoutingSettingsReader['requestRouting']>;

  constructor(private readonly deps: ChatModelProviderDeps) {
    super();
    this.routing = deps.routing.requestRouting((id) => deps.catalog.find(id));
    this._register(
      deps.catalog.onDidChange((change) => {
        if (change === 'models' || change === 'selection') this._onDidChange.fire();
      }),
    );
    this._register(deps.keys.onDidChange(() => this._onDidChange.fire()));
  }

  async provideLanguageModelChatInformation(options: vscode.PrepareLanguageModelChatModelOptions, token: vscode.CancellationToken): Promise<vscode.LanguageModelChatInformation[]> {
    const { catalog, keys, log } = this.deps;
    log.debug(`The editor's chat asks for the model list (silent: ${options.silent}).`);
    if (!(await keys.has())) {
      if (!options.silent) void this.offerToSetKey();
      return [];
    }
    let models: readonly Model[];
    try {
      // The cached list (memory or disk) when there is one; the network only when there is none.
      models = await catalog.getModels();
    } catch (error) {
      log.warn(`Could not list models for the editor's chat: ${errorText(error)}`);
      if (!options.silent && !token.isCancellationRequested) {
        void vscode.window.showWarningMessage(`OpenRouter: could not load the model list (${errorText(error)}).`);
      }
      return [];
    }
    return toModelInformationList(models, { defaultModelId: catalog.selectedModelId });
  }

  async provideLanguageModelChatResponse(
    model: vscode.LanguageModelChatInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const { host, keys, log } = this.deps;
    if (!(await keys.has())) throw vscode.LanguageModelError.NoPermissions(NO_KEY_MESSAGE);
    if (this.deps.usage && !(await this.deps.usage.guard.confirmSend('vscode-chat'))) {
      throw vscode.LanguageModelError.Blocked('Not sent: your OpenRouter budget is used up and you chose not to go over it. Send again to be asked once more, or raise openrouter.budget.daily / openrouter.budget.monthly in your user settings.');
    }
    const request = this.buildRequest(model, messages, options);
    const usage = this.deps.usage;
    const cancellation = toAbortSignal(token);
    const translator = new ResponseTranslator((part) => {
      const reported = toResponsePart(part);
      if (reported) progress.report(reported);
    });
    try {
      const answer = runAnswer(
        { provider: () => host.provider, ...(usage ? { record: (generation: GenerationRecord) => usage.recorder.record(generation) } : {}), log },
        { source: 'vscode-chat', request, signal: cancellation.signal },
        translator,
      );
      const figures = await answer.ended;
      const id = figures.generationId ? ` (${figures.generationId})` : '';
      if (figures.status === 'stopped') {
        log.info(`The editor's chat cancelled ${model.id} after ${Math.round(figures.durationMs ?? 0)} ms${id}.`);
        return;
      }
      if (figures.status === 'error') throw figures.error;
      translator.finish();
      const tokens = figures.promptTokens !== undefined ? `, ${figures.promptTokens}+${figures.completionTokens ?? 0} tokens` : '';
      const cost = figures.costUsd !== undefined ? `, ${formatUsd(figures.costUsd)}` : '';
      log.info(`${model.id} answered the editor's chat in ${Math.round(figures.durationMs ?? 0)} ms: ${translator.textChars} chars, ${translator.toolCallCount} tool call(s)${tokens}${cost}${id}.`);
    } catch (error) {
      const mapped = mapLmError(error, model.id);
      if (mapped.cancelled) return;
      throw toLanguageModelError(mapped.code, mapped.message);
    } finally {
      cancellation.dispose();
    }
  }

  provideTokenCount(_model: vscode.LanguageModelChatInformation, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
    return Promise.resolve(estimateMessageTokens(text));
  }

  private buildRequest(
    model: vscode.LanguageModelChatInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
  ): ChatRequest {
    return {
      model: model.id,
      messages: toOpenRouterMessages(messages, { imageInput: model.capabilities.imageInput === true }),
      ...toOpenRouterTools(options.tools, options.toolMode),
      ...this.routing(model.id, conversationSessionId(messages)),
      // Last: a caller's own max_tokens replaces the output limit from the settings.
      ...pickModelOptions(options.modelOptions),
    };
  }

  private async offerToSetKey(): Promise<void> {
    const choice = await vscode.window.showInformationMessage(NO_KEY_MESSAGE, 'Set API Key');
    if (choice) await vscode.commands.executeCommand(commandIds.setApiKey);
  }
}

/**
 * The stable API's `LanguageModelDataPart` (VS Code 1.105 and later; this extension still builds against older
 * typings): reasoning details ride on it through the chat's history. Undefined in an editor without it.
 */
const DataPart = (vscode as unknown as { LanguageModelDataPart?: new (data: Uint8Array, mimeType: string) => vscode.LanguageModelResponsePart }).LanguageModelDataPart;

function toResponsePart(part: ResponsePart): vscode.LanguageModelResponsePart | undefined {
  switch (part.kind) {
    case 'text':
      return new vscode.LanguageModelTextPart(part.text);
    case 'toolCall':
      return new vscode.LanguageModelToolCallPart(part.callId, part.name, part.input);
    case 'reasoningDetails':
      return DataPart ? new DataPart(encodeReasoningDetails(part.details), REASONING_DETAILS_MIME) : undefined;
  }
}

function toLanguageModelError(code: string, message: string): vscode.LanguageModelError {
  switch (code) {
    case 'NoPermissions':
      return vscode.LanguageModelError.NoPermissions(message);
    case 'Blocked':
      return vscode.LanguageModelError.Blocked(message);
    case 'NotFound':
      return vscode.LanguageModelError.NotFound(message);
    default:
      return new vscode.LanguageModelError(message);
  }
}
