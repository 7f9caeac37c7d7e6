/**
 * Performance marks around the moments the issue sets speed targets for (a client file rendered after its
 * selection; the app usable once the page loads). The end-to-end tests read them with the Performance API.
 */
export const timingMarks = {
  clientSelected: 'scoring-desk:client-selected',
  clientFileRendered: 'scoring-desk:client-file-rendered',
  appUsable: 'scoring-desk:app-usable',
} as const;

export function mark(name: (typeof timingMarks)[keyof typeof timingMarks]): void {
  performance.mark(name);
}
