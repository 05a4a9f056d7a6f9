import { Image } from 'antd';
import type { ReactNode } from 'react';

/**
 * The image thumbnails with antd's preview (zoom, rotate, flip through the group). Its own chunk, loaded
 * when a form shows an image: most forms never do, and antd's Image is a tenth of the form's weight.
 */
export default function Thumbnails(props: { children: ReactNode }): ReactNode {
  return <Image.PreviewGroup>{props.children}</Image.PreviewGroup>;
}

/** One thumbnail with a click-to-preview. */
export function Thumbnail(props: { src: string; alt: string }): ReactNode {
  return <Image src={props.src} alt={props.alt} width={96} height={96} />;
}
