/**
 * Logos for PDF receipts: a JPEG goes in as it is (DCTDecode), declared in the
 * colour space its components say (grey, RGB or CMYK); a PNG is decoded (8-bit
 * grey, RGB, palette, with or without alpha; not interlaced) into RGB and an
 * alpha mask, each deflated (FlateDecode). Anything else is left out, and so is
 * a PNG larger than MAX_LOGO_PIXELS: its size is read before anything is
 * inflated, and inflating never produces more than that size needs.
 */
import { deflateSync, inflateSync } from 'node:zlib';

/** 4 megapixels (a 2000 x 2000 logo): about 28 MB to decode, where 7000 x 7000 took 570 MiB. */
export const MAX_LOGO_PIXELS = 4_000_000;

export type ColorSpace = 'DeviceGray' | 'DeviceRGB' | 'DeviceCMYK';

export interface PdfImage {
  width: number;
  height: number;
  filter: 'DCTDecode' | 'FlateDecode';
  colorSpace: ColorSpace;
  /** For Adobe's CMYK JPEGs, stored inverted: the PDF Decode array that reads them right. */
  decode?: number[];
  /** Colour samples (JPEG bytes, or deflated RGB). */
  data: Uint8Array;
  /** Deflated 8-bit alpha, when the PNG has transparency. */
  alpha?: Uint8Array;
}

const JPEG_COLOR_SPACES: Record<number, ColorSpace> = { 1: 'DeviceGray', 3: 'DeviceRGB', 4: 'DeviceCMYK' };

/** A JPEG's size and colour space, from its frame header (SOF0-SOF3); undefined for anything else. */
export function jpegSize(
  data: Uint8Array,
): { width: number; height: number; colorSpace: ColorSpace; adobe: boolean } | undefined {
  if (data[0] !== 0xff || data[1] !== 0xd8) return undefined;
  let i = 2;
  let adobe = false;
  while (i + 9 < data.length) {
    if (data[i] !== 0xff) return undefined;
    const marker = data[i + 1];
    const len = (data[i + 2] << 8) | data[i + 3];
    // APP14 "Adobe": its CMYK samples are stored inverted.
    if (marker === 0xee && String.fromCharCode(...data.subarray(i + 4, i + 9)) === 'Adobe') adobe = true;
    if (marker >= 0xc0 && marker <= 0xc3) {
      const colorSpace = JPEG_COLOR_SPACES[data[i + 9]];
      if (!colorSpace) return undefined;
      return { height: (data[i + 5] << 8) | data[i + 6], width: (data[i + 7] << 8) | data[i + 8], colorSpace, adobe };
    }
    i += 2 + len;
  }
  return undefined;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export function decodePng(
  png: Uint8Array,
): { width: number; height: number; rgb: Uint8Array; alpha?: Uint8Array } | undefined {
  if (!PNG_SIGNATURE.every((b, i) => png[i] === b)) return undefined;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let width = 0,
    height = 0,
    depth = 0,
    colorType = 0,
    interlace = 0;
  let palette: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  for (let i = 8; i + 8 <= png.length; ) {
    const len = view.getUint32(i);
    const type = String.fromCharCode(...png.subarray(i + 4, i + 8));
    const body = png.subarray(i + 8, i + 8 + len);
    if (type === 'IHDR')
      [width, height, depth, colorType, interlace] = [
        view.getUint32(i + 8),
        view.getUint32(i + 12),
        body[8],
        body[9],
        body[12],
      ];
    else if (type === 'PLTE') palette = body;
    else if (type === 'tRNS') trns = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    i += 12 + len;
  }
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  if (!width || !height || depth !== 8 || interlace !== 0 || !channels || (colorType === 3 && !palette))
    return undefined;
  if (width * height > MAX_LOGO_PIXELS) return undefined;
  const stride = width * channels;
  let raw: Buffer;
  try {
    // A stream that inflates to more than the declared size needs is a bomb, not a logo.
    raw = inflateSync(Buffer.concat(idat), { maxOutputLength: (stride + 1) * height });
  } catch {
    return undefined;
  }
  if (raw.length < (stride + 1) * height) return undefined;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const prev = y ? pixels.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? row[x - channels] : 0;
      const b = prev[x];
      const c = x >= channels ? prev[x - channels] : 0;
      const v = src[x];
      row[x] =
        (filter === 0
          ? v
          : filter === 1
            ? v + a
            : filter === 2
              ? v + b
              : filter === 3
                ? v + ((a + b) >> 1)
                : v + paeth(a, b, c)) & 0xff;
    }
  }
  const rgb = new Uint8Array(width * height * 3);
  const hasAlpha = colorType === 4 || colorType === 6 || (colorType === 3 && !!trns);
  const alpha = hasAlpha ? new Uint8Array(width * height) : undefined;
  for (let p = 0; p < width * height; p++) {
    const s = p * channels;
    let r: number,
      g: number,
      b: number,
      al = 255;
    if (colorType === 0 || colorType === 4)
      [r, g, b, al] = [pixels[s], pixels[s], pixels[s], colorType === 4 ? pixels[s + 1] : 255];
    else if (colorType === 3) {
      const idx = pixels[s];
      [r, g, b] = [palette![idx * 3], palette![idx * 3 + 1], palette![idx * 3 + 2]];
      al = trns && idx < trns.length ? trns[idx] : 255;
    } else [r, g, b, al] = [pixels[s], pixels[s + 1], pixels[s + 2], colorType === 6 ? pixels[s + 3] : 255];
    rgb.set([r, g, b], p * 3);
    if (alpha) alpha[p] = al;
  }
  return { width, height, rgb, alpha };
}

/** The logo as a PDF image, or undefined when it is neither a usable JPEG nor PNG. */
export function pdfImageOf(bytes: Uint8Array): PdfImage | undefined {
  const jpeg = jpegSize(bytes);
  if (jpeg) {
    const { adobe, ...size } = jpeg;
    const inverted = adobe && jpeg.colorSpace === 'DeviceCMYK';
    return { ...size, filter: 'DCTDecode', data: bytes, ...(inverted ? { decode: [1, 0, 1, 0, 1, 0, 1, 0] } : {}) };
  }
  const png = decodePng(bytes);
  if (!png) return undefined;
  return {
    width: png.width,
    height: png.height,
    filter: 'FlateDecode',
    colorSpace: 'DeviceRGB',
    data: new Uint8Array(deflateSync(png.rgb)),
    ...(png.alpha ? { alpha: new Uint8Array(deflateSync(png.alpha)) } : {}),
  };
}
