export * from './answerFigures';
export * from './answerRun';
export * from './reasoningDetails';
export * from './contextFit';
export * from './condense';
