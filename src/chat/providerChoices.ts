// The providers serving the chosen model, for the routing panel's pin and exclude: from OpenRouter's endpoints
// list, each with its price, context and recent speed in a line.
import type { ModelCatalog } from '../models/modelCatalog';
import { endpointRow } from '../models/modelDetail';
import { errorText } from '../util/errorText';
import type { ExtensionMessage } from '../protocols/chat';

export async function providerChoices(catalog: ModelCatalog, modelId: string): Promise<Extract<ExtensionMessage, { type: 'providers' }>> {
  try {
    const { endpoints } = await catalog.endpoints(modelId);
    return {
      type: 'providers',
      modelId,
      providers: endpoints.map((endpoint) => {
        const row = endpointRow(endpoint);
        return { name: endpoint.provider_name, summary: [row.description, row.detail].filter(Boolean).join(' · ') };
      }),
    };
  } catch (error) {
    return { type: 'providers', modelId, providers: [], problem: `The providers of ${modelId} could not be loaded: ${errorText(error)}` };
  }
}
