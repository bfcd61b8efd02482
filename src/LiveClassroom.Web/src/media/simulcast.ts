/**
 * The lead teacher's simulcast layers (RFC 8853; docs/RURAL-LINKS.md). Every classroom watches the teacher, on links
 * from a school LAN down to ~300 kbps, so the camera goes out three times and the SFU forwards each classroom one
 * layer. Order matters: low to high, as the SFU takes the last rid for "the highest layer" (the recorder's and a
 * classroom's default). q's own frame rate (above any camera's, so no layer drops frames) makes Chromium run one
 * H.264 encoder per layer: with equal rates it encodes all three in one OpenH264 instance, whose q layer sent 4-5x
 * its target. q is 80 kbps so that it, the teacher's audio (~62 kbps with RED) and repairs fit a 300 kbps link with
 * room to spare (docs/RURAL-LINKS.md).
 */
export const cameraLayers: RTCRtpEncodingParameters[] = [
  { rid: "q", scaleResolutionDownBy: 4, maxFramerate: 30, maxBitrate: 80_000 },
  { rid: "h", scaleResolutionDownBy: 2, maxBitrate: 450_000 },
  { rid: "f", scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
];

/**
 * Courseware is text: every screen layer keeps the full resolution so a classroom on the low layer can still read it;
 * the low layers save bits by sending fewer frames instead (a slide changes a few times a minute).
 */
export const screenLayers: RTCRtpEncodingParameters[] = [
  { rid: "q", scaleResolutionDownBy: 1, maxFramerate: 2, maxBitrate: 200_000 },
  { rid: "h", scaleResolutionDownBy: 1, maxFramerate: 5, maxBitrate: 450_000 },
  { rid: "f", scaleResolutionDownBy: 1, maxFramerate: 15, maxBitrate: 1_200_000 },
];
