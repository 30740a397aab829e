// What Enter would send now, in tokens and dollars, from the catalog's prices: the same messages the
// request carries (src/chat/attachments/promptBuilder.ts), counted with the project's token estimate.
import { pricePerToken } from '../../models/modelPrice';
import { estimateMessagesTokens, estimateMessageTokens, estimateTextTokens } from '../../models/tokenEstimate';
import { modelDisplayName } from '../../models/modelFormat';
import { modelLimits, statedContextLength } from '../../models/modelLimits';
import { planContextFit, type ContextStrategy } from '../../answer';
import type { ChatMessage, Model } from '../../openrouter/types';
import type { SendEstimate } from '../../protocols/chat';
import { webSearchCeilingUsd } from '../../routing';
import { OCR_PRICE_PER_PAGE_USD, PDF_PAGE_TOKENS, type PdfEngine } from './pdfAttachment';

/** Counts of long texts (attachments, long answers) seen lately: the estimate runs again after each pause in typing. */
const longTextCounts = new Map<string, number>();
const longText = 10_000;
const maxRemembered = 32;

function textTokens(text: string): number {
  if (text.length < longText) return estimateTextTokens(text);
  let tokens = longTextCounts.get(text);
  if (tokens === undefined) {
    tokens = estimateTextTokens(text);
    if (longTextCounts.size >= maxRemembered) longTextCounts.delete(longTextCounts.keys().next().value!);
    longTextCounts.set(text, tokens);
  }
  return tokens;
}

export interface MessageCount {
  tokens: number;
  images: number;
}

/** Estimated input tokens of a request's messages: text by the project's estimate, each image at a fixed cost. */
export function countMessages(messages: readonly ChatMessage[]): MessageCount {
  let tokens = 0;
  let images = 0;
  for (const message of messages) {
    const count = estimateMessageTokens(message, textTokens);
    tokens += count.tokens;
    images += count.images;
  }
  return { tokens, images };
}

export function modelReadsImages(model: Model | undefined): boolean {
  return model?.architecture?.input_modalities?.includes('image') === true;
}

const price = pricePerToken;

export const imageRefusalAdvice = 'Choose a model that reads images, or remove the image; your question and attachments are kept.';

export function imageRefusal(modelId: string, model: Model | undefined): string {
  const name = model ? modelDisplayName(model) : modelId;
  return `${name} (${modelId}) reads text only, so it cannot take images.`;
}

export interface EstimateInput {
  modelId: string;
  model: Model | undefined;
  messages: readonly ChatMessage[];
  /** The question being written has images (a text-only model refuses it). */
  newImages: number;
  cacheableAttachments: number;
  /** The chat has web search on: its searches' ceiling is added to the cost. */
  webSearch?: boolean;
  /** The request carries PDFs. */
  pdf?: PdfEstimate;
  /** What the chat does with older turns that no longer fit (`openrouter.chat.contextOverflow`). */
  overflow?: ContextStrategy;
}

export interface PdfEstimate {
  pages: number;
  engine: PdfEngine;
}

export function sendEstimate(input: EstimateInput): SendEstimate {
  const { modelId, model } = input;
  const counted = countMessages(input.messages);
  // A PDF part's size says little about its text: a rough count per page stands in for it.
  const tokens = counted.tokens + (input.pdf?.pages ?? 0) * PDF_PAGE_TOKENS;
  const { images } = counted;
  const estimate: SendEstimate = { model: modelId, modelName: model ? modelDisplayName(model) : modelId, inputTokens: tokens, cacheableAttachments: input.cacheableAttachments };
  const promptPrice = price(model?.pricing?.prompt);
  if (promptPrice !== undefined) estimate.costUsd = tokens * promptPrice + images * (price(model?.pricing?.image) ?? 0);
  if (input.pdf) {
    estimate.pdfEngine = input.pdf.engine;
    if (input.pdf.engine === 'mistral-ocr') {
      estimate.pdfUsd = input.pdf.pages * OCR_PRICE_PER_PAGE_USD;
      if (estimate.costUsd !== undefined) estimate.costUsd += estimate.pdfUsd;
    }
  }
  if (input.webSearch) {
    estimate.webSearchUsd = webSearchCeilingUsd();
    if (estimate.costUsd !== undefined) estimate.costUsd += estimate.webSearchUsd;
  }
  const context = statedContextLength(model);
  if (context !== undefined) {
    estimate.contextLength = context;
    // Planned only when the count says it may not fit: the estimate runs after every pause in typing.
    const budget = modelLimits(model).maxInputTokens;
    const plan = tokens * 1.2 > budget ? planContextFit(input.messages, { budgetTokens: budget }) : { fits: true, head: [], limit: budget };
    const question = input.messages.at(-1);
    const questionFits = question !== undefined && estimateMessagesTokens([...plan.head, question]) <= plan.limit;
    if (tokens > context || (!plan.fits && !questionFits)) {
      estimate.contextWarning = `About ${tokens.toLocaleString('en-US')} tokens: more than ${estimate.modelName} reads (${context.toLocaleString('en-US')}-token context). Remove attachments, start a new chat, or choose a model with a longer context.`;
    }
    // The conversation no longer fits but the question does: say what sending will do with the older turns.
    if (!plan.fits && questionFits) {
      estimate.contextWarning =
        input.overflow === 'drop'
          ? `About ${tokens.toLocaleString('en-US')} tokens: more than ${estimate.modelName} reads with room for the answer. The oldest turns will be left out (openrouter.chat.contextOverflow).`
          : `About ${tokens.toLocaleString('en-US')} tokens: more than ${estimate.modelName} reads with room for the answer. The older turns will first be condensed into a summary by the model (a short request of its own, billed).`;
    }
  }
  if (input.newImages > 0 && model && !modelReadsImages(model)) estimate.imageRefusal = `${estimate.modelName} reads text only: remove the image or choose a model that reads images.`;
  return estimate;
}
