// Measure Connection Reuse: the pooled provider against a fresh one, same requests, side by side in the log.
import { featureHandle, type FeatureHandle, type Services } from '../host/services';
import { MeasureConnectionReuseCommand } from './measureConnectionReuse';

export function register(services: Services): FeatureHandle {
  return featureHandle(new MeasureConnectionReuseCommand({ host: services.host, settings: services.settings, log: services.logger.forComponent('measure') }), {});
}
