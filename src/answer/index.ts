export * from './answerFigures';
export * from './answerRun';
