// Every command id, declared once. package.json `contributes.commands` lists exactly these (a unit test checks).
export const commandIds = {
  signIn: 'openrouter.signIn',
  signOut: 'openrouter.signOut',
  setApiKey: 'openrouter.setApiKey',
  validateApiKey: 'openrouter.validateApiKey',
  clearApiKey: 'openrouter.clearApiKey',
  selectModel: 'openrouter.selectModel',
  refreshModels: 'openrouter.refreshModels',
  refreshCredits: 'openrouter.refreshCredits',
  showCredits: 'openrouter.showCredits',
  showConnectionStats: 'openrouter.showConnectionStats',
  showLog: 'openrouter.showLog',
  openSettings: 'openrouter.openSettings',
  reviewWorkspaceSettings: 'openrouter.reviewWorkspaceSettings',
  manageLanguageModels: 'openrouter.manageLanguageModels',
  openChat: 'openrouter.openChat',
  newChat: 'openrouter.newChat',
  chatHistory: 'openrouter.chatHistory',
  chatRouting: 'openrouter.chatRouting',
  chatSystemPrompt: 'openrouter.chatSystemPrompt',
  askAboutSelection: 'openrouter.askAboutSelection',
  attachToChat: 'openrouter.attachToChat',
  measureConnectionReuse: 'openrouter.measureConnectionReuse',
  toggleCompletions: 'openrouter.toggleCompletions',
  selectCompletionModel: 'openrouter.selectCompletionModel',
  showUsage: 'openrouter.showUsage',
  exportUsage: 'openrouter.exportUsage',
  compareModels: 'openrouter.compareModels',
  acceptProposedChange: 'openrouter.acceptProposedChange',
  rejectProposedChange: 'openrouter.rejectProposedChange',
  acceptAllProposedChanges: 'openrouter.acceptAllProposedChanges',
  rejectAllProposedChanges: 'openrouter.rejectAllProposedChanges',
  undoAnswerChanges: 'openrouter.undoAnswerChanges',
} as const;

export type CommandId = (typeof commandIds)[keyof typeof commandIds];

// Not contributed (hidden from the palette): lets the integration tests read state the UI shows.
export const internalCommandIds = {
  logTail: 'openrouter.internal.logTail',
  state: 'openrouter.internal.state',
  closeConnections: 'openrouter.internal.closeConnections',
  pickerItems: 'openrouter.internal.pickerItems',
  toggleFavourite: 'openrouter.internal.toggleFavourite',
  completionsState: 'openrouter.internal.completionsState',
  usageState: 'openrouter.internal.usageState',
  exportUsageTo: 'openrouter.internal.exportUsageTo',
  compareState: 'openrouter.internal.compareState',
  pendingProposals: 'openrouter.internal.pendingProposals',
  lastCheckpoint: 'openrouter.internal.lastCheckpoint',
  /** Tests: deletes a file as an answer's tool would, through the checkpoint API (chat id, answer id, file URI). */
  deleteFileForAnswer: 'openrouter.internal.deleteFileForAnswer',
} as const;
