// Shifumi in the page (docs/shifumi.md): the move buttons, each round's
// result and the score. Resolves at game_over.
import type { GameConnection } from "../../../sdk/js/src/index.js";
import { $, clear, element, setText, show } from "../../shared/dom.js";

type Move = "rock" | "paper" | "scissors";
interface ShifumiMessage {
  type: string;
  round?: number;
  player?: string;
  opponent?: string | null;
  moves?: Record<string, Move>;
  winner?: string | null;
  score?: Record<string, number>;
  reason?: string;
  code?: string;
}

const icons: Record<Move, string> = { rock: "✊", paper: "✋", scissors: "✌️" };

function scoreLine(score: Record<string, number> | undefined, me: string): string {
  if (!score) return "";
  const mine = score[me] ?? 0;
  const theirs = Object.entries(score).find(([id]) => id !== me)?.[1] ?? 0;
  return `Score: you ${mine} – ${theirs} opponent`;
}

export async function playShifumi(connection: GameConnection, me: string, onFirstDraw: () => void): Promise<ShifumiMessage> {
  show("shifumi", true);
  show("arena", false);
  const buttons = [...$("shifumi").querySelectorAll<HTMLButtonElement>("button[data-move]")];
  const rounds = $("rounds");
  clear(rounds);
  setText("score", "");
  setText("round", "Waiting for the other player…");
  setText("opponent", "");
  let drawn = false;
  const drew = () => {
    if (drawn) return;
    drawn = true;
    requestAnimationFrame(() => onFirstDraw());
  };
  const enable = (on: boolean) => buttons.forEach((b) => ((b.disabled = !on), b.setAttribute("aria-pressed", "false")));
  enable(false);
  const onClick = (e: Event) => {
    const button = e.currentTarget as HTMLButtonElement;
    connection.send({ type: "move", move: button.dataset.move });
    enable(false);
    button.setAttribute("aria-pressed", "true");
    setText("round", `${$("round").dataset.label ?? ""} — you chose ${button.dataset.move}; waiting for the opponent…`);
  };
  buttons.forEach((b) => b.addEventListener("click", onClick));
  try {
    for (;;) {
      const m = (await connection.next({ timeoutMs: 120_000 })) as ShifumiMessage;
      switch (m.type) {
        case "welcome":
          setText("opponent", m.opponent ? `Playing against ${m.opponent}` : "Waiting for your opponent to join…");
          drew();
          break;
        case "round":
          $("round").dataset.label = `Round ${m.round}`;
          setText("round", `Round ${m.round}: choose your move`);
          if (!$("opponent").textContent?.startsWith("Playing")) setText("opponent", "Your opponent is here.");
          enable(true);
          drew();
          break;
        case "result": {
          const moves = m.moves ?? {};
          const mine = moves[me];
          const theirs = Object.entries(moves).find(([id]) => id !== me)?.[1];
          const verdict = m.winner === null ? "draw" : m.winner === me ? "you win the round" : "you lose the round";
          rounds.prepend(element("li", `Round ${m.round}: ${mine ? icons[mine] : "?"} ${mine} vs ${theirs ? icons[theirs] : "?"} ${theirs} — ${verdict}`));
          setText("score", scoreLine(m.score, me));
          break;
        }
        case "game_over":
          enable(false);
          setText("score", scoreLine(m.score, me));
          setText("round", m.winner === null ? "Game over: a draw." : m.winner === me ? "Game over: you won!" : `Game over: you lost${m.reason === "forfeit" ? " (forfeit)" : ""}.`);
          return m;
        case "error":
          setText("round", `The game server said: ${m.reason ?? m.code}`);
          break;
      }
    }
  } finally {
    buttons.forEach((b) => b.removeEventListener("click", onClick));
    connection.close();
  }
}
