// The chat view's id (package.json `views`), apart so start-up can register the view without loading the chat.
export const chatViewType = 'openrouter.chatView';
