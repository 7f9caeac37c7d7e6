import { defineStore } from 'pinia';
import type { Review, ReviewSection } from '../../src-main/api/contract.ts';

const MAX_SECONDS = 7 * 24 * 3600;

interface FileReview {
  /** Time spent on the file in earlier visits, in milliseconds. */
  spentMs: number;
  /** When the current visit started; null while the file is not open. */
  since: number | null;
  sections: ReviewSection[];
}

/**
 * How each client file was reviewed in this session, for the decision record (AI Act Art. 14: oversight that is
 * more than a click): the time the file was open, summed over visits, and the sections opened, in the order
 * first opened. Kept in memory only: it describes this sitting, not the client.
 */
export const useReviewStore = defineStore('review', () => {
  const files = new Map<number, FileReview>();

  function fileReview(clientId: number): FileReview {
    let review = files.get(clientId);
    if (review === undefined) {
      review = { spentMs: 0, since: null, sections: [] };
      files.set(clientId, review);
    }
    return review;
  }

  /** The manager opens a section of the client's file (the clock runs from the first one). */
  function open(clientId: number, section: ReviewSection): void {
    const review = fileReview(clientId);
    review.since ??= Date.now();
    if (!review.sections.includes(section)) review.sections.push(section);
  }

  /** The manager leaves the client's file (another client, the list): the clock stops. */
  function leave(clientId: number): void {
    const review = files.get(clientId);
    if (review?.since == null) return;
    review.spentMs += Date.now() - review.since;
    review.since = null;
  }

  function reviewOf(clientId: number): Review {
    const review = fileReview(clientId);
    const running = review.since === null ? 0 : Date.now() - review.since;
    return {
      // The contract's bound (a week): a file left open longer says no more about the review.
      secondsOnFile: Math.min(Math.round((review.spentMs + running) / 1000), MAX_SECONDS),
      sectionsOpened: [...review.sections],
    };
  }

  return { open, leave, reviewOf };
});
