"""Stage 2, cells → offers and problems: cell values, the offer sheet, legacy layouts
and the article table.
"""
