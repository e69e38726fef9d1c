<?php
/**
 * Plugin Name:       Tiny Gallery
 * Plugin URI:        https://example.org/tiny-gallery
 * Description:       Shows a small gallery of the images attached to a post.
 * Version:           1.2.0
 * Author:            transkit sample
 * Author URI:        https://example.org
 * License:           GPL-2.0-or-later
 * Text Domain:       tiny-gallery
 * Domain Path:       /languages
 */

defined( 'ABSPATH' ) || exit;

function tiny_gallery_settings_page() {
	echo '<h1>' . esc_html__( 'Tiny Gallery settings', 'tiny-gallery' ) . '</h1>';
	echo '<p>' . esc_html__( 'Choose how many columns the gallery shows.', 'tiny-gallery' ) . '</p>';
	/* translators: %d: number of images in the gallery */
	printf( esc_html( _n( '%d image', '%d images', $count, 'tiny-gallery' ) ), $count );
	echo esc_html_x( 'Post', 'post type singular name', 'tiny-gallery' );
	echo esc_html_x( 'Post', 'verb: publish', 'tiny-gallery' );
	/* translators: 1: gallery title, 2: link to the settings page */
	printf( __( 'Gallery %1$s is empty. <a href="%2$s">Add images</a>.', 'tiny-gallery' ), $title, $url );
	submit_button( __( 'Save Changes', 'tiny-gallery' ) );
	esc_html_e( 'Settings saved.', 'tiny-gallery' );
	esc_html_e( 'Lightbox', 'tiny-gallery' );
	esc_attr_e( 'Close', 'tiny-gallery' );
	esc_html_e( "Images are shown in the order of the media library.\nDrag them to change the order.", 'tiny-gallery' );
}
