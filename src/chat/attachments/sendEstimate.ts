// What Enter would send now, in tokens and dollars, from the catalog's prices: the same messages the
// request carries (src/chat/attachments/promptBuilder.ts), counted with the project's token estimate.
import { pricePerToken } from '../../models/modelPrice';
import { estimateTextTokens, IMAGE_TOKENS, MESSAGE_OVERHEAD } from '../../models/tokenEstimate';
import { modelDisplayName } from '../../models/modelFormat';
import type { ChatMessage, Model } from '../../openrouter/types';
import type { SendEstimate } from '../../webview/protocol';
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
    tokens += MESSAGE_OVERHEAD;
    if (typeof message.content === 'string') {
      tokens += textTokens(message.content);
      continue;
    }
    for (const part of message.content ?? []) {
      if (part.type === 'text') tokens += textTokens(part.text);
      else if (part.type === 'image_url') {
        images++;
        tokens += IMAGE_TOKENS;
      }
    }
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
  const context = model?.context_length ?? model?.top_provider?.context_length ?? undefined;
  if (typeof context === 'number' && context > 0) {
    estimate.contextLength = context;
    if (tokens > context) {
      estimate.contextWarning = `About ${tokens.toLocaleString('en-US')} tokens: more than ${estimate.modelName} reads (${context.toLocaleString('en-US')}-token context). Remove attachments, start a new chat, or choose a model with a longer context.`;
    }
  }
  if (input.newImages > 0 && model && !modelReadsImages(model)) estimate.imageRefusal = `${estimate.modelName} reads text only: remove the image or choose a model that reads images.`;
  return estimate;
}
