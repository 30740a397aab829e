// The panel's model chooser entries, from the same catalogue (and favourites) as the model picker.
import { formatPricePerMillion, isFreeModel, modelDisplayName } from '../models/modelFormat';
import { offeredEfforts } from '../models/reasoningEfforts';
import type { Model } from '../openrouter/types';
import type { ModelOption } from '../protocols/chat';
import { modelSupportsReasoning } from '../routing';

export function modelOptions(models: readonly Model[], favourites: readonly string[]): ModelOption[] {
  const favourite = new Set(favourites);
  return [...models]
    .sort((a, b) => modelDisplayName(a).localeCompare(modelDisplayName(b)))
    .map((model) => {
      const free = isFreeModel(model);
      const option: ModelOption = { id: model.id, name: modelDisplayName(model), favourite: favourite.has(model.id), free };
      if (modelSupportsReasoning(model.supported_parameters)) {
        option.reasoning = true;
        option.efforts = offeredEfforts(model);
      }
      if (!free) {
        const input = formatPricePerMillion(model.pricing?.prompt);
        const output = formatPricePerMillion(model.pricing?.completion);
        option.priceLabel = `${input}/${output}`;
        option.priceDetail = `${input} in / ${output} out per 1M tokens`;
      }
      return option;
    });
}

