// The message of anything thrown: defined once, in the client (which imports nothing from the editor side).
export { errorText } from '../openrouter/errorText';
