import { useEffect, useRef } from "preact/hooks";

/** A <video> bound to a MediaStream or track (srcObject cannot be set as an attribute). */
export function VideoView(props: {
  stream?: MediaStream | null;
  track?: MediaStreamTrack | null;
  label: string;
  class?: string;
  testId?: string;
  mirror?: boolean;
  /** Told whether frames are showing, so a page can put something readable over an empty picture. */
  onFrames?: (showing: boolean) => void;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  const stream = props.stream ?? (props.track ? new MediaStream([props.track]) : null);
  const key = props.stream?.id ?? props.track?.id ?? "";
  useEffect(() => {
    const v = ref.current;
    if (!v) return;
    if (v.srcObject !== stream) v.srcObject = stream;
    // Muted video may autoplay everywhere; play() covers browsers that ignore the attribute after srcObject changes.
    if (stream) void v.play().catch(() => {});
  }, [key]);
  return (
    <video
      ref={ref}
      class={`${props.class ?? ""}${props.mirror ? " mirror" : ""}`}
      data-testid={props.testId}
      aria-label={props.label}
      autoplay
      playsInline
      muted
      onResize={(e) => props.onFrames?.(e.currentTarget.videoWidth > 0)}
      onLoadedData={(e) => props.onFrames?.(e.currentTarget.videoWidth > 0)}
      onEmptied={() => props.onFrames?.(false)}
    />
  );
}

/** A hidden <audio> playing a receive slot's audio. */
export function AudioSink({ stream }: { stream?: MediaStream | null }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const a = ref.current;
    if (!a) return;
    a.srcObject = stream ?? null;
    if (stream) void a.play().catch(() => {});
  }, [stream?.id]);
  return <audio ref={ref} autoplay />;
}
